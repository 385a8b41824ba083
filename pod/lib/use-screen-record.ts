// Which ConnectWise record this surface is on: first from our URL ([cw_id]),
// then from every onLoad ConnectWise sends (a refresh sends a new one).
import { useEffect, useState } from 'preact/hooks';
import type { HostedBridge } from '../bridge/index.js';
import { recordIdFromUrl } from './config.js';

export interface ScreenRecord {
  id: number | undefined;
  screen: string | undefined;
  /** How many onLoad events arrived: a refresh bumps it, so data reloads. */
  loads: number;
}

export function useScreenRecord(bridge: HostedBridge): ScreenRecord {
  const [rec, setRec] = useState<ScreenRecord>(() => ({
    id: recordIdFromUrl(),
    screen: new URLSearchParams(location.search).get('screen') ?? undefined,
    loads: 0,
  }));
  useEffect(
    () =>
      bridge.onLoad((d) => {
        const n = typeof d.id === 'number' ? d.id : d.id && /^\d+$/.test(d.id) ? Number(d.id) : undefined;
        setRec((r) => ({ id: n ?? r.id, screen: d.screen || r.screen, loads: r.loads + 1 }));
      }),
    [bridge],
  );
  return rec;
}
