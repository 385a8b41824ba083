// ConnectWise `conditions=` query language: a tokenizer, a recursive-descent
// parser into a small AST, and an evaluator over plain JSON records.
//
// Grammar (keywords case-insensitive, `and` binds tighter than `or`):
//   expr    := andExpr ('or' andExpr)*
//   andExpr := unary ('and' unary)*
//   unary   := '(' expr ')' | comparison
//   comparison := path op value
//              | path ['not'] ('like' | 'contains') value
//              | path ['not'] 'in' '(' value (',' value)* ')'
//   op      := '=' | '!=' | '<' | '<=' | '>' | '>='
//   path    := ident ('/' ident)*          e.g. company/id
//   value   := "string" (\" or "" escapes a quote) | number | true | false | null | [datetime]
//
// Semantics follow ConnectWise (SQL Server, case-insensitive collation):
// string comparisons ignore case; `like` uses `*` as the wildcard; `contains`
// is a case-insensitive substring test; a [datetime] literal compares as an
// instant against the record's ISO timestamp; a path that a record does not
// have is null. Malformed input throws ConditionError carrying the 0-based
// position of the offending token.

export class ConditionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: number; text: string };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { type: 'and' | 'or'; left: Condition; right: Condition }
  | { type: 'compare'; path: string[]; op: CompareOp; value: Literal }
  | { type: 'like' | 'contains'; path: string[]; negated: boolean; value: Literal }
  | { type: 'in'; path: string[]; negated: boolean; values: Literal[] };

type Token =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'op'; v: CompareOp; pos: number }
  | { t: 'punct'; v: '(' | ')' | ',' | '/'; pos: number }
  | { t: 'literal'; v: Literal; pos: number }
  | { t: 'end'; pos: number };

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_.]/;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = i;
    if (ch === '(' || ch === ')' || ch === ',' || ch === '/') {
      tokens.push({ t: 'punct', v: ch, pos });
      i++;
    } else if (ch === '=' ) {
      tokens.push({ t: 'op', v: '=', pos });
      i++;
    } else if (ch === '!') {
      if (src[i + 1] !== '=') throw new ConditionError(`unexpected "!" (did you mean "!=")`, pos);
      tokens.push({ t: 'op', v: '!=', pos });
      i += 2;
    } else if (ch === '<' || ch === '>') {
      if (src[i + 1] === '=') {
        tokens.push({ t: 'op', v: `${ch}=` as CompareOp, pos });
        i += 2;
      } else if (ch === '<' && src[i + 1] === '>') {
        tokens.push({ t: 'op', v: '!=', pos });
        i += 2;
      } else {
        tokens.push({ t: 'op', v: ch, pos });
        i++;
      }
    } else if (ch === '"' || ch === "'") {
      // Quoted string; a quote inside is escaped as \" or doubled ("").
      const quote = ch;
      let out = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ConditionError('unterminated string', pos);
        const c = src[i]!;
        if (c === '\\' && i + 1 < src.length) {
          out += src[i + 1];
          i += 2;
        } else if (c === quote) {
          if (src[i + 1] === quote) {
            out += quote;
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          out += c;
          i++;
        }
      }
      tokens.push({ t: 'literal', v: { kind: 'string', value: out }, pos });
    } else if (ch === '[') {
      const close = src.indexOf(']', i);
      if (close < 0) throw new ConditionError('unterminated [datetime]', pos);
      const text = src.slice(i + 1, close).trim();
      const ms = Date.parse(text);
      if (!text || Number.isNaN(ms)) throw new ConditionError(`invalid datetime "[${text}]"`, pos);
      tokens.push({ t: 'literal', v: { kind: 'datetime', value: ms, text }, pos });
      i = close + 1;
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9.]/.test(src[i + 1] ?? ''))) {
      const m = /^-?(?:\d+(?:\.\d*)?|\.\d+)/.exec(src.slice(i))!;
      tokens.push({ t: 'literal', v: { kind: 'number', value: Number(m[0]) }, pos });
      i += m[0].length;
      if (i < src.length && IDENT_PART.test(src[i]!)) throw new ConditionError(`invalid number "${src.slice(pos, i + 1)}"`, pos);
    } else if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      const word = src.slice(i, j);
      const lower = word.toLowerCase();
      if (lower === 'true' || lower === 'false') tokens.push({ t: 'literal', v: { kind: 'boolean', value: lower === 'true' }, pos });
      else if (lower === 'null') tokens.push({ t: 'literal', v: { kind: 'null' }, pos });
      else tokens.push({ t: 'ident', v: word, pos });
      i = j;
    } else {
      throw new ConditionError(`unexpected character "${ch}"`, pos);
    }
  }
  tokens.push({ t: 'end', pos: src.length });
  return tokens;
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'end':
      return 'end of conditions';
    case 'literal':
      return 'a value';
    default:
      return `"${tok.v}"`;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private isKeyword(tok: Token, kw: string): boolean {
    return tok.t === 'ident' && tok.v.toLowerCase() === kw;
  }

  parseAll(): Condition {
    const c = this.parseOr();
    const tok = this.peek();
    if (tok.t !== 'end') throw new ConditionError(`expected "and", "or" or end but found ${describe(tok)}`, tok.pos);
    return c;
  }

  private parseOr(): Condition {
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      left = { type: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Condition {
    let left = this.parseUnary();
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      left = { type: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Condition {
    const tok = this.peek();
    if (tok.t === 'punct' && tok.v === '(') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (!(close.t === 'punct' && close.v === ')')) throw new ConditionError(`expected ")" but found ${describe(close)}`, close.pos);
      return inner;
    }
    return this.parseComparison();
  }

  private parsePath(): string[] {
    const first = this.next();
    if (first.t !== 'ident' || ['and', 'or', 'not', 'like', 'contains', 'in'].includes(first.v.toLowerCase())) {
      throw new ConditionError(`expected a field name but found ${describe(first)}`, first.pos);
    }
    const path = [first.v];
    while (this.peek().t === 'punct' && (this.peek() as { v: string }).v === '/') {
      this.next();
      const part = this.next();
      if (part.t !== 'ident') throw new ConditionError(`expected a field name after "/" but found ${describe(part)}`, part.pos);
      path.push(part.v);
    }
    return path;
  }

  private parseValue(): Literal {
    const tok = this.next();
    if (tok.t !== 'literal') throw new ConditionError(`expected a value but found ${describe(tok)}`, tok.pos);
    return tok.v;
  }

  private parseComparison(): Condition {
    const path = this.parsePath();
    let tok = this.next();
    if (tok.t === 'op') return { type: 'compare', path, op: tok.v, value: this.parseValue() };
    let negated = false;
    if (this.isKeyword(tok, 'not')) {
      negated = true;
      tok = this.next();
    }
    if (this.isKeyword(tok, 'like') || this.isKeyword(tok, 'contains')) {
      const type = (tok as { v: string }).v.toLowerCase() as 'like' | 'contains';
      const valueTok = this.peek();
      const value = this.parseValue();
      if (value.kind !== 'string') throw new ConditionError(`"${type}" needs a quoted string`, valueTok.pos);
      return { type, path, negated, value };
    }
    if (this.isKeyword(tok, 'in')) {
      const open = this.next();
      if (!(open.t === 'punct' && open.v === '(')) throw new ConditionError(`expected "(" after "in" but found ${describe(open)}`, open.pos);
      const values = [this.parseValue()];
      for (;;) {
        const sep = this.next();
        if (sep.t === 'punct' && sep.v === ')') break;
        if (!(sep.t === 'punct' && sep.v === ',')) throw new ConditionError(`expected "," or ")" but found ${describe(sep)}`, sep.pos);
        values.push(this.parseValue());
      }
      return { type: 'in', path, negated, values };
    }
    throw new ConditionError(`expected an operator (=, !=, <, <=, >, >=, like, contains, in) but found ${describe(tok)}`, tok.pos);
  }
}

export function parseConditions(src: string): Condition {
  return new Parser(tokenize(src)).parseAll();
}

// ---- evaluation ----

function resolve(record: unknown, path: string[]): unknown {
  let cur: unknown = record;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    // Field names match case-insensitively, as ConnectWise's do.
    const obj = cur as Record<string, unknown>;
    const key = part in obj ? part : Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
    cur = key === undefined ? undefined : obj[key];
  }
  return cur;
}

/** -1/0/1, or null when the two are not comparable (then every comparison is false, as SQL NULL). */
function compareTo(actual: unknown, lit: Literal): number | null {
  if (actual === undefined || actual === null || lit.kind === 'null') return null;
  switch (lit.kind) {
    case 'number': {
      const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
      if (Number.isNaN(n)) return null;
      return Math.sign(n - lit.value);
    }
    case 'boolean':
      return typeof actual === 'boolean' ? Number(actual) - Number(lit.value) : null;
    case 'datetime': {
      const ms = typeof actual === 'string' ? Date.parse(actual) : NaN;
      return Number.isNaN(ms) ? null : Math.sign(ms - lit.value);
    }
    case 'string': {
      const a = String(actual).toLowerCase();
      const b = lit.value.toLowerCase();
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
}

function likeToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

export function evaluate(cond: Condition, record: unknown): boolean {
  switch (cond.type) {
    case 'and':
      return evaluate(cond.left, record) && evaluate(cond.right, record);
    case 'or':
      return evaluate(cond.left, record) || evaluate(cond.right, record);
    case 'compare': {
      const actual = resolve(record, cond.path);
      if (cond.value.kind === 'null') {
        const isNull = actual === undefined || actual === null;
        if (cond.op === '=') return isNull;
        if (cond.op === '!=') return !isNull;
        return false;
      }
      const c = compareTo(actual, cond.value);
      if (c === null) return false;
      switch (cond.op) {
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
      return false;
    }
    case 'like':
    case 'contains': {
      const actual = resolve(record, cond.path);
      if (actual === undefined || actual === null || cond.value.kind !== 'string') return false;
      const text = String(actual);
      const hit =
        cond.type === 'like' ? likeToRegExp(cond.value.value).test(text) : text.toLowerCase().includes(cond.value.value.toLowerCase());
      return cond.negated ? !hit : hit;
    }
    case 'in': {
      const actual = resolve(record, cond.path);
      if (actual === undefined || actual === null) return false;
      const hit = cond.values.some((v) => compareTo(actual, v) === 0);
      return cond.negated ? !hit : hit;
    }
  }
}
