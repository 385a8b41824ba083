// What a request may have written, in one comparable value: every table of our
// database (row count and content) and every record of both simulators that
// their APIs can change (and Xero's grants). The fuzzer takes it
// before and after each request and, when the request was refused (4xx),
// expects it unchanged.
//
// Two writes on refusal are the product's on purpose, and only those are let
// through (each checked for exactly its shape, so nothing else hides behind them):
//   - audit_log rows that record a refusal (a sign-in ConnectWise refused):
//     the audit trail of refusals is the point of the table;
//   - an OAuth state used up by the callback, whatever its outcome: a state is
//     single-use, and one that arrives in another browser is burnt on purpose
//     (server/xero/oauth-flow.ts: a leaked state must not stay usable).
import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import type { CwSim } from '../../sim/connectwise/index.js';
import type { XeroSim } from '../../sim/xero/index.js';

export interface StateSnapshot {
  /** table → "rows:content" (audit_log and oauth_states apart, below). */
  tables: Record<string, string>;
  /** Every audit row read so far as [action, outcome] (shared, append-only), how many of them this snapshot saw, and the table's count. */
  auditRows: readonly [string, string][];
  auditLength: number;
  auditCount: number;
  /** OAuth states by their state hash: used or not, and a hash of the rest of the row. */
  oauthStates: Record<string, { used: boolean; rest: string }>;
  cwSim: string;
  xeroSim: string;
}

const hash = (s: string) => createHash('sha1').update(s).digest('hex');

/**
 * JSON of a simulator table held in a Map, as its entries. Their records are
 * plain data (sim/xero/records.ts, sim/connectwise/model.ts: no Map or Set
 * below the tables), so plain JSON.stringify reads all of them — several
 * times faster than a replacer on every key, and this runs once a request.
 */
const entries = (m: Map<string, unknown>) => [...m.entries()];

/**
 * Takes snapshots of one server's SQLite database (through a read-only
 * connection of its own: synchronous and cheap, so every request can have one)
 * and of the two simulators.
 */
export class StateWatch {
  private readonly db: SQLite.Database;
  private readonly tables: { name: string; all: SQLite.Statement }[];
  private readonly auditAfter: SQLite.Statement;
  private readonly auditCount: SQLite.Statement;
  private readonly audit: [string, string][] = [];
  private auditMaxId = 0;

  constructor(
    sqlitePath: string,
    private readonly cwSim: CwSim,
    private readonly xeroSim: XeroSim,
  ) {
    this.db = new SQLite(sqlitePath, { readonly: true, fileMustExist: true });
    const names = this.db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' and name <> 'audit_log' order by name`).pluck().all() as string[];
    this.tables = names.map((name) => ({ name, all: this.db.prepare(`select * from "${name}"`).raw() }));
    this.auditAfter = this.db.prepare('select id, action, outcome from audit_log where id > ? order by id').raw();
    this.auditCount = this.db.prepare('select count(*) from audit_log').pluck();
  }

  take(): StateSnapshot {
    const tables: Record<string, string> = {};
    const oauthStates: StateSnapshot['oauthStates'] = {};
    for (const t of this.tables) {
      const rows = t.all.all() as unknown[][];
      if (t.name === 'oauth_states') {
        const cols = t.all.columns().map((c) => c.name);
        for (const row of rows) {
          const r = Object.fromEntries(cols.map((c, i) => [c, row[i]]));
          const { state_hash, used_at, ...rest } = r;
          oauthStates[String(state_hash)] = { used: used_at != null, rest: hash(JSON.stringify(rest)) };
        }
        continue;
      }
      const lines = rows.map((r) => JSON.stringify(r)).sort();
      tables[t.name] = `${rows.length}:${lines.join('\n')}`;
    }
    // audit_log only grows (ids ascending): read what is new since the last snapshot.
    for (const [id, action, outcome] of this.auditAfter.all(this.auditMaxId) as [number, string, string][]) {
      this.audit.push([action, outcome]);
      this.auditMaxId = id;
    }
    // What the simulators' APIs can change (their other tables — members, companies, the chart of
    // accounts — have no route that writes them); not the member hashes ConnectWise issues nor fault switches.
    const cw = this.cwSim.state;
    const cwData = { invoices: cw.invoices, payments: cw.payments, batches: cw.batches, hostedSetups: cw.hostedSetups, expenses: cw.expenses, procurement: cw.procurement, nextId: cw.nextId };
    const x = this.xeroSim.ctx;
    const orgs = [...x.orgs.values()].map((o) => ({
      id: o.info.OrganisationID,
      items: entries(o.items),
      contacts: entries(o.contacts),
      documents: entries(o.documents),
      payments: entries(o.payments),
      overpayments: entries(o.overpayments),
      allocations: entries(o.allocations),
      journals: entries(o.journals),
      sequences: o.sequences,
    }));
    return {
      tables,
      auditRows: this.audit,
      auditLength: this.audit.length,
      auditCount: Number(this.auditCount.get()),
      oauthStates,
      cwSim: JSON.stringify(cwData),
      xeroSim: JSON.stringify({ orgs, grants: entries(x.identity.grants) }),
    };
  }

  close(): void {
    this.db.close();
  }
}

/**
 * What changed from `before` to `after` that a refused request may not change,
 * in words (empty: nothing). `callback` says the request was the OAuth callback.
 */
export function forbiddenChanges(before: StateSnapshot, after: StateSnapshot, opts: { callback: boolean }): string[] {
  const out: string[] = [];
  for (const t of new Set([...Object.keys(before.tables), ...Object.keys(after.tables)])) {
    if (before.tables[t] !== after.tables[t]) out.push(`table ${t}: rows ${before.tables[t]?.split(':')[0]} → ${after.tables[t]?.split(':')[0]}, content changed`);
  }
  const added = after.auditRows.slice(before.auditLength, after.auditLength);
  if (after.auditCount - before.auditCount !== added.length) out.push('audit_log: rows deleted');
  for (const [action, outcome] of added) {
    if (!(action === 'session.refused' && outcome === 'failure')) out.push(`audit_log: a row ${action}/${outcome} written`);
  }
  for (const [h, a] of Object.entries(after.oauthStates)) {
    const b = before.oauthStates[h];
    if (!b) out.push('oauth_states: a state created');
    else if (b.rest !== a.rest) out.push('oauth_states: a state changed');
    else if (b.used !== a.used && !(opts.callback && a.used)) out.push('oauth_states: a state used');
  }
  for (const h of Object.keys(before.oauthStates)) if (!after.oauthStates[h]) out.push('oauth_states: a state deleted');
  if (before.cwSim !== after.cwSim) out.push('ConnectWise simulator: its records changed');
  if (before.xeroSim !== after.xeroSim) out.push('Xero simulator: its records changed');
  return out;
}
