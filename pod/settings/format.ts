// Small formatting helpers of the settings pod.

/** "25 Nov 2026, 14:05" in the member's locale; "never" for null. */
export function formatWhen(iso: string | null): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "Admin, Finance Lead" ⇄ ["Admin", "Finance Lead"]. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
