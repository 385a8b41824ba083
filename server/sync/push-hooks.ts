// Fault injection for the exactly-once tests: wrappers around the push's
// ports, registered per server (deps object). Nothing registers any in
// production, so the ports are used as they are.
import type { AppDeps } from '../deps.js';
import type { CwPushPort, XeroPushPort } from './invoice-push.js';

export interface PushPortWrappers {
  xero?: (port: XeroPushPort) => XeroPushPort;
  cw?: (port: CwPushPort) => CwPushPort;
}

const wrappersByDeps = new WeakMap<object, PushPortWrappers>();

export function setPushPortWrappers(deps: AppDeps, wrappers: PushPortWrappers | undefined): void {
  if (wrappers) wrappersByDeps.set(deps, wrappers);
  else wrappersByDeps.delete(deps);
}

export function wrapPushPorts(deps: AppDeps, ports: { xero: XeroPushPort; cw: CwPushPort }): { xero: XeroPushPort; cw: CwPushPort } {
  const w = wrappersByDeps.get(deps);
  return { xero: w?.xero ? w.xero(ports.xero) : ports.xero, cw: w?.cw ? w.cw(ports.cw) : ports.cw };
}
