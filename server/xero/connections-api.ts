// Xero's /connections endpoint (configurable URL: real Xero or the simulator):
// which organisations a token reaches, and disconnecting one of them.
import { z } from 'zod';

const connectionSchema = z.object({
  id: z.string().min(1),
  tenantId: z.string().min(1),
  tenantType: z.string().default('ORGANISATION'),
  tenantName: z.string().nullable().optional(),
  authEventId: z.string().nullable().optional(),
});
export type XeroConnectionEntry = z.infer<typeof connectionSchema>;

export class ConnectionsApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

async function call(url: string, accessToken: string, method: 'GET' | 'DELETE'): Promise<Response> {
  try {
    return await fetch(url, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(20_000),
    });
  } catch (e) {
    throw new ConnectionsApiError(`Xero could not be reached (${(e as Error).message})`, 0);
  }
}

/** The organisations this token reaches; with authEventId, only those this sign-in connected. */
export async function listXeroConnections(connectionsUrl: string, accessToken: string, authEventId?: string | null): Promise<XeroConnectionEntry[]> {
  const url = new URL(connectionsUrl);
  if (authEventId) url.searchParams.set('authEventId', authEventId);
  const res = await call(url.toString(), accessToken, 'GET');
  if (!res.ok) throw new ConnectionsApiError(`Xero answered ${res.status} when listing the connected organisations`, res.status);
  const parsed = z.array(connectionSchema).safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new ConnectionsApiError('Xero sent an unreadable list of connected organisations', res.status);
  // Only organisations carry accounting (a "PRACTICEMANAGER" tenant cannot take invoices).
  return parsed.data.filter((c) => c.tenantType.toUpperCase() === 'ORGANISATION');
}

/** Disconnects one organisation from the app; 404 counts as done (already gone). */
export async function deleteXeroConnection(connectionsUrl: string, accessToken: string, xeroConnectionId: string): Promise<void> {
  const url = `${connectionsUrl.replace(/\/$/, '')}/${encodeURIComponent(xeroConnectionId)}`;
  const res = await call(url, accessToken, 'DELETE');
  if (!res.ok && res.status !== 404) throw new ConnectionsApiError(`Xero answered ${res.status} when disconnecting an organisation`, res.status);
}
