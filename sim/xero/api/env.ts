import type { OrgState } from '../records.js';
import type { AccessClaims } from '../identity/tokens.js';

export type ApiEnv = { Variables: { tenantId: string; org: OrgState; claims: AccessClaims } };
