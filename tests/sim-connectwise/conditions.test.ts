import { describe, expect, it } from 'vitest';
import { ConditionError, evaluate, parseConditions } from '../../sim/connectwise/conditions.js';

const records = [
  { id: 1, name: 'Acme Pty Ltd', total: 100.5, closed: false, date: '2026-01-10T00:00:00Z', company: { id: 250, name: 'Harbour' }, note: null },
  { id: 2, name: 'Acme "Quoted" Ltd', total: 250, closed: true, date: '2026-02-20T00:00:00Z', company: { id: 251, name: 'Blue Gum' }, note: 'x' },
  { id: 3, name: 'Blue Sky', total: 99.99, closed: false, date: '2026-03-01T12:00:00Z', company: { id: 250, name: 'Harbour' } },
];

const ids = (src: string) => records.filter((r) => evaluate(parseConditions(src), r)).map((r) => r.id);

describe('conditions: operators', () => {
  it('= and != on numbers and strings (strings ignore case)', () => {
    expect(ids('id=2')).toEqual([2]);
    expect(ids('id != 2')).toEqual([1, 3]);
    expect(ids('name="blue sky"')).toEqual([3]);
    expect(ids('id <> 1')).toEqual([2, 3]);
  });
  it('<, <=, >, >= on numbers', () => {
    expect(ids('total<100')).toEqual([3]);
    expect(ids('total<=100.5')).toEqual([1, 3]);
    expect(ids('total>100.5')).toEqual([2]);
    expect(ids('total>=100.5')).toEqual([1, 2]);
    expect(ids('total > -1')).toEqual([1, 2, 3]);
  });
  it('like with * wildcards, case-insensitive, and not like', () => {
    expect(ids('name like "acme*"')).toEqual([1, 2]);
    expect(ids('name like "*ltd"')).toEqual([1, 2]);
    expect(ids('name like "Blue"')).toEqual([]);
    expect(ids('name not like "acme*"')).toEqual([3]);
  });
  it('contains', () => {
    expect(ids('name contains "SKY"')).toEqual([3]);
    expect(ids('name not contains "acme"')).toEqual([3]);
  });
  it('in (...) with numbers and strings, and not in', () => {
    expect(ids('id in (1, 3)')).toEqual([1, 3]);
    expect(ids('company/name in ("blue gum", "nobody")')).toEqual([2]);
    expect(ids('id not in (1)')).toEqual([2, 3]);
  });
  it('true/false/null', () => {
    expect(ids('closed=true')).toEqual([2]);
    expect(ids('closed = FALSE')).toEqual([1, 3]);
    expect(ids('note=null')).toEqual([1, 3]);
    expect(ids('note!=null')).toEqual([2]);
  });
  it('[datetime] literals compare as instants', () => {
    expect(ids('date>[2026-02-01T00:00:00Z]')).toEqual([2, 3]);
    expect(ids('date<=[2026-01-10T00:00:00Z]')).toEqual([1]);
    expect(ids('date > [2026-03-01]')).toEqual([3]);
  });
  it('nested paths like company/id', () => {
    expect(ids('company/id=250')).toEqual([1, 3]);
    expect(ids('company/id=250 and total>100')).toEqual([1]);
  });
  it('quoted strings with escaped quotes (\\" and "")', () => {
    expect(ids('name="Acme \\"Quoted\\" Ltd"')).toEqual([2]);
    expect(ids('name="Acme ""Quoted"" Ltd"')).toEqual([2]);
    expect(ids("name='blue sky'")).toEqual([3]);
  });
  it('a missing path is null and never equal to a value', () => {
    expect(ids('missing=1')).toEqual([]);
    expect(ids('missing=null')).toEqual([1, 2, 3]);
  });
});

describe('conditions: precedence and grouping', () => {
  it('and binds tighter than or; keywords are case-insensitive', () => {
    // id=1 OR (id=2 AND closed=false) → only 1
    expect(ids('id=1 or id=2 and closed=false')).toEqual([1]);
    expect(ids('id=1 OR id=2 AND closed=true')).toEqual([1, 2]);
  });
  it('parentheses override precedence, and nest', () => {
    expect(ids('(id=1 or id=2) and closed=false')).toEqual([1]);
    expect(ids('((id=1 or id=3) and (company/id=250)) or name like "acme \\"q*"')).toEqual([1, 2, 3]);
  });
});

describe('conditions: errors say where', () => {
  const err = (src: string) => {
    try {
      parseConditions(src);
    } catch (e) {
      expect(e).toBeInstanceOf(ConditionError);
      return e as ConditionError;
    }
    throw new Error(`expected "${src}" to fail`);
  };
  it('missing value', () => {
    const e = err('id=');
    expect(e.position).toBe(3);
    expect(e.message).toMatch(/expected a value.*position 3/);
  });
  it('unterminated string', () => {
    expect(err('name="abc').position).toBe(5);
  });
  it('unbalanced parenthesis', () => {
    const e = err('(id=1 or id=2');
    expect(e.position).toBe(13);
    expect(e.message).toMatch(/expected "\)"/);
  });
  it('unknown operator', () => {
    const e = err('id ~ 1');
    expect(e.position).toBe(3);
  });
  it('trailing garbage and dangling and', () => {
    expect(err('id=1 id=2').position).toBe(5);
    expect(err('id=1 and').message).toMatch(/field name.*position 8/);
  });
  it('bad datetime and bad in list', () => {
    expect(err('date>[not a date]').position).toBe(5);
    expect(err('id in (1 2)').position).toBe(9);
    expect(err('id in 1').message).toMatch(/expected "\("/);
  });
  it('like needs a string', () => {
    expect(err('name like 5').position).toBe(10);
  });
});
