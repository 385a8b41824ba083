// Xero's `where` filter language (a subset of .NET LINQ expressions):
//   Status=="AUTHORISED" AND Type=="ACCREC"
//   Contact.ContactID==Guid("…") OR InvoiceNumber!="INV-0001"
//   Date >= DateTime(2026, 01, 01)   AmountDue > 0   Name.Contains("Ltd")
//   Name.StartsWith("A")  Name.ToLower()=="x"  (a || b) && !c  IsCustomer==true
// Evaluated against the rendered (wire) record; "/Date(…)/" values compare as times.
import { wireDateToMs } from '../wire-dates.js';
import { queryParseError } from './errors.js';

type Tok =
  | { t: 'id'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) { s += src[j + 1]; j += 2; continue; }
        s += src[j]; j++;
      }
      if (j >= src.length) throw queryParseError(`Unterminated string in where clause at position ${i}`);
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '>=', '<=', '&&', '||'].includes(two)) { out.push({ t: 'op', v: two }); i += 2; continue; }
    if ('<>!'.includes(ch)) { out.push({ t: 'op', v: ch }); i++; continue; }
    if ('(),.'.includes(ch)) {
      // a dot between identifiers is part of a member path; numbers handle their own dots
      out.push({ t: 'punct', v: ch }); i++; continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { out.push({ t: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      const word = id[0];
      const upper = word.toUpperCase();
      if (upper === 'AND') out.push({ t: 'op', v: '&&' });
      else if (upper === 'OR') out.push({ t: 'op', v: '||' });
      else if (upper === 'NOT') out.push({ t: 'op', v: '!' });
      else out.push({ t: 'id', v: word });
      i += word.length;
      continue;
    }
    throw queryParseError(`Unexpected character '${ch}' in where clause at position ${i}`);
  }
  return out;
}

type Value = string | number | boolean | null | undefined;
type Expr = (rec: Record<string, unknown>) => Value;

class Parser {
  private p = 0;
  constructor(private toks: Tok[]) {}

  parse(): Expr {
    const e = this.or();
    if (this.p < this.toks.length) throw queryParseError(`Unexpected '${String(this.toks[this.p]!.v)}' in where clause`);
    return e;
  }

  private peek(): Tok | undefined { return this.toks[this.p]; }
  private isOp(v: string): boolean { const t = this.peek(); return !!t && t.t === 'op' && t.v === v; }
  private isPunct(v: string): boolean { const t = this.peek(); return !!t && t.t === 'punct' && t.v === v; }
  private expectPunct(v: string): void {
    if (!this.isPunct(v)) throw queryParseError(`Expected '${v}' in where clause`);
    this.p++;
  }

  private or(): Expr {
    let left = this.and();
    while (this.isOp('||')) { this.p++; const l = left; const r = this.and(); left = (x) => truthy(l(x)) || truthy(r(x)); }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isOp('&&')) { this.p++; const l = left; const r = this.not(); left = (x) => truthy(l(x)) && truthy(r(x)); }
    return left;
  }

  private not(): Expr {
    if (this.isOp('!')) { this.p++; const e = this.not(); return (x) => !truthy(e(x)); }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.primary();
    const t = this.peek();
    if (t && t.t === 'op' && ['==', '!=', '>', '<', '>=', '<='].includes(t.v)) {
      this.p++;
      const right = this.primary();
      const op = t.v;
      return (x) => compare(op, left(x), right(x));
    }
    return left;
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) throw queryParseError('Where clause ends unexpectedly');
    if (t.t === 'punct' && t.v === '(') { this.p++; const e = this.or(); this.expectPunct(')'); return e; }
    if (t.t === 'str') { this.p++; return () => t.v; }
    if (t.t === 'num') { this.p++; return () => t.v; }
    if (t.t === 'id') {
      const word = t.v;
      this.p++;
      if (word === 'true' || word === 'false') return () => word === 'true';
      if (word === 'null') return () => null;
      if (this.isPunct('(')) return this.call(word);
      // member path, possibly followed by .Method(args)
      const path = [word];
      let methods: { name: string; args: Value[] }[] = [];
      while (this.isPunct('.')) {
        this.p++;
        const n = this.peek();
        if (!n || n.t !== 'id') throw queryParseError(`Expected a field name after '.' in where clause`);
        this.p++;
        if (this.isPunct('(')) {
          this.p++;
          const args: Value[] = [];
          while (!this.isPunct(')')) {
            const a = this.peek();
            if (!a || (a.t !== 'str' && a.t !== 'num')) throw queryParseError(`Only literal arguments are supported in ${n.v}()`);
            args.push(a.v);
            this.p++;
            if (this.isPunct(',')) this.p++;
          }
          this.p++;
          methods = [...methods, { name: n.v, args }];
        } else if (methods.length) {
          throw queryParseError('A field cannot follow a method call in where clause');
        } else {
          path.push(n.v);
        }
      }
      return (x) => {
        let v: Value = lookup(x, path);
        for (const m of methods) v = applyMethod(m.name, v, m.args);
        return v;
      };
    }
    throw queryParseError(`Unexpected '${String(t.v)}' in where clause`);
  }

  private call(name: string): Expr {
    this.expectPunct('(');
    const args: Value[] = [];
    while (!this.isPunct(')')) {
      const a = this.peek();
      if (!a || (a.t !== 'str' && a.t !== 'num')) throw queryParseError(`Only literal arguments are supported in ${name}()`);
      args.push(a.v);
      this.p++;
      if (this.isPunct(',')) this.p++;
    }
    this.p++;
    if (name === 'Guid' || name === 'guid') {
      const v = String(args[0] ?? '').toLowerCase();
      return () => v;
    }
    if (name === 'DateTime' || name === 'DateTimeOffset') {
      if (args.length === 1 && typeof args[0] === 'string') {
        const t = Date.parse(args[0]);
        if (Number.isNaN(t)) throw queryParseError(`DateTime("${args[0]}") is not a date`);
        return () => t;
      }
      const n = args.map(Number);
      if (n.length < 3 || n.some((v) => !Number.isInteger(v))) throw queryParseError('DateTime() takes year, month, day[, hour, minute, second]');
      const t = Date.UTC(n[0]!, n[1]! - 1, n[2]!, n[3] ?? 0, n[4] ?? 0, n[5] ?? 0);
      return () => t;
    }
    throw queryParseError(`Unknown function ${name}() in where clause`);
  }
}

function lookup(rec: Record<string, unknown>, path: string[]): Value {
  let v: unknown = rec;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    const obj = v as Record<string, unknown>;
    const hit = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
    v = hit === undefined ? undefined : obj[hit];
  }
  const ms = wireDateToMs(v);
  if (ms !== null) return ms;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return v;
  return undefined;
}

function applyMethod(name: string, v: Value, args: Value[]): Value {
  const s = typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
  const a = String(args[0] ?? '');
  switch (name) {
    case 'Contains': return s.includes(a);
    case 'StartsWith': return s.startsWith(a);
    case 'EndsWith': return s.endsWith(a);
    case 'ToLower': return s.toLowerCase();
    case 'ToUpper': return s.toUpperCase();
    default: throw queryParseError(`Unknown method ${name}() in where clause`);
  }
}

function truthy(v: Value): boolean {
  return v === true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function compare(op: string, a: Value, b: Value): boolean {
  // GUIDs compare without regard to case, as Xero does.
  if (typeof a === 'string' && typeof b === 'string' && UUID.test(a) && UUID.test(b)) { a = a.toLowerCase(); b = b.toLowerCase(); }
  if (op === '==') return a === b || (a == null && b == null);
  if (op === '!=') return !(a === b || (a == null && b == null));
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a !== typeof b) return false;
  switch (op) {
    case '>': return a > b;
    case '<': return a < b;
    case '>=': return a >= b;
    case '<=': return a <= b;
    default: return false;
  }
}

export function compileWhere(expression: string): (rec: Record<string, unknown>) => boolean {
  const expr = new Parser(tokenize(expression)).parse();
  return (rec) => truthy(expr(rec));
}
