// Checks JSON the simulator produced against Xero's OpenAPI description
// (../shared/reference/xero_accounting.yaml): every property name must be
// documented for its schema and every value must have the documented type
// (and enum value, and uuid format). Fails loudly, naming the JSON path.
// Xero's envelope fields (Id, Status, ProviderName, DateTimeUTC) are not in
// the published description, so they are allowed at the top level only.
// Error "Elements" echo the element sent, so they are checked against
// Element ∪ the resource schema.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

export const YAML_PATH = resolve(import.meta.dirname, '../../../shared/reference/xero_accounting.yaml');

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
};

let schemas: Record<string, Schema> | null | undefined;

export function loadSchemas(): Record<string, Schema> | null {
  if (schemas !== undefined) return schemas;
  schemas = existsSync(YAML_PATH) ? (parse(readFileSync(YAML_PATH, 'utf8')).components.schemas as Record<string, Schema>) : null;
  return schemas;
}

const ENVELOPE = new Set(['Id', 'Status', 'ProviderName', 'DateTimeUTC']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function deref(s: Schema, all: Record<string, Schema>): Schema {
  let cur = s;
  while (cur.$ref) {
    const name = cur.$ref.split('/').pop()!;
    const next = all[name];
    if (!next) throw new Error(`schema ${name} not found`);
    cur = next;
  }
  if (cur.allOf) {
    const merged: Schema = { type: 'object', properties: {} };
    for (const part of cur.allOf) Object.assign(merged.properties!, deref(part, all).properties ?? {});
    return merged;
  }
  return cur;
}

function check(value: unknown, schema: Schema, path: string, all: Record<string, Schema>, errors: string[], extraProps?: Record<string, Schema>): void {
  const s = deref(schema, all);
  if (value === null) return; // Xero sends nulls for absent values in places; the SDK tolerates them
  const type = s.type ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) { errors.push(`${path}: expected object, got ${JSON.stringify(value)}`); return; }
      const props = { ...(s.properties ?? {}), ...(extraProps ?? {}) };
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const p = props[k];
        if (!p) { errors.push(`${path}.${k}: property not documented in the schema`); continue; }
        check(v, p, `${path}.${k}`, all, errors);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) { errors.push(`${path}: expected array`); return; }
      value.forEach((v, i) => check(v, s.items ?? {}, `${path}[${i}]`, all, errors));
      return;
    case 'string':
      if (typeof value !== 'string') { errors.push(`${path}: expected string, got ${typeof value}`); return; }
      if (s.enum && !s.enum.includes(value)) errors.push(`${path}: "${value}" is not one of the documented values`);
      if (s.format === 'uuid' && !UUID.test(value)) errors.push(`${path}: "${value}" is not a uuid`);
      return;
    case 'number':
      if (typeof value !== 'number') errors.push(`${path}: expected number, got ${typeof value}`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) errors.push(`${path}: expected integer, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${path}: expected boolean, got ${typeof value}`);
      return;
    default:
      return;
  }
}

/** Errors found validating a collection response (e.g. "Invoices") or an Error body ("Error" with resource "Invoice"). */
export function validateResponse(body: unknown, schemaName: string, elementSchema?: string): string[] {
  const all = loadSchemas();
  if (!all) return [];
  const errors: string[] = [];
  if (schemaName === 'Error') {
    const err = body as Record<string, unknown>;
    const { Elements, ...rest } = err;
    check(rest, all.Error!, '$', all, errors);
    if (Elements !== undefined) {
      if (!Array.isArray(Elements)) errors.push('$.Elements: expected array');
      else {
        const extra = elementSchema ? deref(all[elementSchema]!, all).properties : undefined;
        Elements.forEach((el, i) => check(el, all.Element!, `$.Elements[${i}]`, all, errors, extra));
      }
    }
    return errors;
  }
  if (typeof body !== 'object' || body === null) return [`$: expected an object`];
  const stripped = Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([k]) => !ENVELOPE.has(k)));
  const env = body as Record<string, unknown>;
  if (typeof env.Id !== 'string' || env.Status !== 'OK' || typeof env.ProviderName !== 'string' || !/^\/Date\(\d+\)\/$/.test(String(env.DateTimeUTC))) {
    errors.push('$: envelope Id/Status/ProviderName/DateTimeUTC missing or malformed');
  }
  const schema = all[schemaName];
  if (!schema) return [`schema ${schemaName} not found`];
  check(stripped, schema, '$', all, errors);
  return errors;
}
