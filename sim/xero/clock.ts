// The simulator's own clock. Token expiry, code lifetimes, refresh grace and
// the minute/day rate-limit windows all read this clock, so tests can jump it
// forward (advance) or run it fast (speed) instead of waiting in real time.
export class SimClock {
  private anchorReal = Date.now();
  private anchorSim = Date.now();
  private speed = 1;

  now(): number {
    return this.anchorSim + (Date.now() - this.anchorReal) * this.speed;
  }

  advance(seconds: number): void {
    this.rebase();
    this.anchorSim += seconds * 1000;
  }

  setSpeed(speed: number): void {
    this.rebase();
    this.speed = speed;
  }

  getSpeed(): number {
    return this.speed;
  }

  reset(): void {
    this.anchorReal = Date.now();
    this.anchorSim = Date.now();
    this.speed = 1;
  }

  private rebase(): void {
    const sim = this.now();
    this.anchorReal = Date.now();
    this.anchorSim = sim;
  }
}
