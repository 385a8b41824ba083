import type { Kysely, Migration } from 'kysely';

// Single-use OAuth `state`s: stored as a SHA-256 hash, bound to the tenant and
// the admin who started the flow, with the PKCE verifier sealed (JWE bound to
// the state hash) and the OpenID nonce.
export const m0101_oauth_states: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('oauth_states')
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('member_identifier', 'text', (c) => c.notNull())
      .addColumn('member_rec_id', 'integer', (c) => c.notNull())
      .addColumn('verifier_jwe', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
