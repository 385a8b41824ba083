// "Disconnect": disconnect each organisation at Xero (DELETE /connections/{id}),
// revoke the refresh token at the issuer, then delete our tokens and
// organisations (releasing them: another ConnectWise company may connect them
// now). The location mappings stay, shown "not connected", so connecting again
// restores them. Nothing in Xero is changed. Our copy is deleted even when
// Xero cannot be reached; what could not be done there is reported in words.
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import type { XeroDisconnectResponse } from '../../shared/api.js';
import { deleteConnectionRows, findConnection } from './connection-store.js';
import { deleteXeroConnection } from './connections-api.js';
import { revokeRefreshToken } from './token-endpoint.js';
import { getAccessToken } from './token-refresh.js';
import { openTokenSet } from './token-set.js';

export async function disconnectXero(deps: AppDeps, tenantId: string, connectionId: string): Promise<XeroDisconnectResponse> {
  const conn = await findConnection(deps, tenantId, connectionId);
  if (!conn) throw new ApiError(404, 'xero_connection_not_found', 'This Xero connection does not exist (it may already be disconnected).');
  const warnings: string[] = [];
  const cfg = deps.config.xero;
  if (conn.status === 'ok') {
    try {
      const accessToken = await getAccessToken(deps, tenantId, connectionId);
      for (const org of conn.orgs) {
        await deleteXeroConnection(cfg.connectionsUrl, accessToken, org.xeroConnectionId).catch((e: Error) =>
          warnings.push(`Could not disconnect ${org.name} at Xero (${e.message}); remove "CW–Xero Sync" under Connected Apps in Xero.`),
        );
      }
    } catch (e) {
      warnings.push(`Could not reach Xero to disconnect (${(e as Error).message}); remove "CW–Xero Sync" under Connected Apps in Xero.`);
    }
    const row = await deps.db.k
      .selectFrom('xero_connections')
      .select('token_set_jwe')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (row) {
      const ts = await openTokenSet(deps.keys.secretsKey, connectionId, row.token_set_jwe);
      const revoked = await revokeRefreshToken(cfg, ts.refreshToken).catch(() => false);
      if (!revoked) warnings.push('Xero did not confirm revoking the saved sign-in; it was deleted here anyway.');
    }
  } else {
    warnings.push('Xero had already refused the saved sign-in, so there was nothing to revoke there.');
  }
  await deleteConnectionRows(deps, tenantId, connectionId);
  return { disconnected: true, warnings };
}
