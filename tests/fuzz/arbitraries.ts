// Generators of bad input for the fuzzer (fast-check): JSON values of the
// wrong type, huge and unicode strings, deep nesting, malformed JSON text,
// bad ids, bad query strings and content types.
import fc from 'fast-check';

/** Percent-encodes every UTF-8 byte: works on lone surrogates too (they become U+FFFD), unlike encodeURIComponent. */
export function encodeBytes(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** A long string: ASCII, multi-byte, emoji (surrogate pairs) or combining marks, up to `max` units. */
export const hugeString = (max: number) =>
  fc.tuple(fc.constantFrom('x', 'é', '漢', '😀', 'e\u0301', '\u0000', '"', '\\', '\u202e'), fc.integer({ min: 100, max })).map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

export const unicodeString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // lone surrogates among them
  fc.constantFrom('', ' ', '\u0000', '\ufeff', '\u202eadmin', 'ａｄｍｉｎ', 'İ', 'ß', '𝟏𝟎𝟎𝟏', '<script>alert(1)</script>', "' or 1=1 --", '${7*7}', '../../etc/passwd', '%00', 'null'),
);

/** Nested arrays or objects, `depth` deep, as JSON text (JSON.stringify itself overflows past a few thousand levels). */
export function nestedJson(depth: number, kind: 'array' | 'object', leaf = '1'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

/** Any JSON value of the wrong kind for a field. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, 99999999999999999999, '', '0', 'true', [], {}, [null], { '': null }), weight: 4 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
  { arbitrary: unicodeString, weight: 3 },
  { arbitrary: hugeString(6000), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 8 }), weight: 1 },
);

/** JSON text of `value`, or text that is not quite JSON. */
export function jsonText(value: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const good = value.map((v) => JSON.stringify(v) ?? 'null');
  return fc.oneof(
    { arbitrary: good, weight: 8 },
    // Truncated JSON.
    { arbitrary: good.chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n))), weight: 1 },
    {
      arbitrary: fc.constantFrom('{bad', '', ' ', 'null', '[]', '"x"', '1', '{"a":1}{', '{"a":1,}', "{'a':1}", 'NaN', '\ufeff{}', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '{"a":"\\ud800"}', '{"a":1e999}'),
      weight: 2,
    },
    { arbitrary: fc.tuple(fc.integer({ min: 2, max: 3000 }), fc.constantFrom('array' as const, 'object' as const)).map(([d, k]) => nestedJson(d, k)), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
  );
}

/** Content types a JSON route may be sent; most are JSON. `null`: no Content-Type header at all. */
export const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json ;charset=UTF-8'), weight: 16 },
  {
    arbitrary: fc.constantFrom<string | null>(
      null,
      '',
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'application/vnd.api+json',
      'application/json, application/json',
      'text/json',
      'application/xml',
      'application/json; charset=utf-16',
    ),
    weight: 3,
  },
);

/** Path segments that are not a good id (already in URL form). */
export const badIdSegment: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc.constantFrom('abc', '1.5', '-1', '0', '0x10', '1e3', '%20', '%25', '%zz', '%E0%A4%A', '99999999999999999999', '1e300', '00001001', '%201001', '1001%20', '%EF%BC%91%EF%BC%90%EF%BC%90%EF%BC%91', '%2e%2e', '..%2F..%2Fpackage.json', '%2F', 'null', 'NaN', 'Infinity', '1001;drop', '1001%00', '__proto__', 'constructor'),
    weight: 4,
  },
  { arbitrary: unicodeString.map(encodeBytes), weight: 3 },
  { arbitrary: fc.integer({ min: 16, max: 9000 }).map((n) => '9'.repeat(n)), weight: 1 },
  { arbitrary: fc.bigInt({ min: 1n, max: 2n ** 70n }).map(String), weight: 2 },
  { arbitrary: fc.uuid().map((u) => u.toUpperCase()), weight: 1 },
);

/** A query string after the "?" (may be empty, malformed or huge). */
export function queryString(keys: readonly string[], value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const pairs = fc.array(fc.tuple(fc.oneof({ arbitrary: fc.constantFrom(...keys), weight: 4 }, { arbitrary: fc.constantFrom('zz', '__proto__', 'constructor', 'page[]', ''), weight: 1 }), value), { maxLength: 4 });
  return fc.oneof(
    { arbitrary: pairs.map((ps) => ps.map(([k, v]) => `${encodeBytes(k)}=${v}`).join('&')), weight: 6 },
    { arbitrary: fc.constantFrom('', '%', '%E0%A4%A', '&&&', '=', 'a=%ZZ', '__proto__[x]=1', '=1', 'x'), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => s.replace(/#/g, '%23')), weight: 1 },
    { arbitrary: fc.integer({ min: 100, max: 9000 }).map((n) => `q=${'a'.repeat(n)}`), weight: 1 },
  );
}

/** Query values: numbers, not-numbers, unicode, encoded garbage. */
export const queryValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.integer({ min: -5, max: 300 }).map(String), weight: 4 },
  { arbitrary: fc.constantFrom('', 'abc', '1.5', '1e3', '1e300', '-0', 'NaN', '99999999999999999999', '2026-02-31', '2026-04-30', 'Standard', 'CreditMemo', 'Nope', '%', '%ZZ', '%00', 'true'), weight: 4 },
  { arbitrary: unicodeString.map(encodeBytes), weight: 2 },
);
