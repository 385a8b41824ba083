// The wire shapes of the ConnectWise Hosted API (child side), as small checks
// (no validator library: the pod's JavaScript budget is 20 KB). Messages travel
// as JSON strings; anything that does not match one of these shapes is ignored.

/** A check's answer: the value in its shape, or the first field that is wrong. */
export type Checked<T> = { ok: true; value: T } | { ok: false; field: string };
export type Check<T> = (raw: unknown) => Checked<T>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isId = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const isNullish = (v: unknown): v is null | undefined => v === null || v === undefined;
/** The first of `fields` whose value fails its test, or undefined when all pass. */
function firstWrong(o: Obj, fields: Record<string, (v: unknown) => boolean>): string | undefined {
  for (const [name, test] of Object.entries(fields)) if (!test(o[name])) return name;
  return undefined;
}

/** The parent tells the child which frame it is: `{"MessageFrameID":"<id>"}`. */
export function frameIdMessage(raw: unknown): string | undefined {
  return isObj(raw) && isId(raw.MessageFrameID) ? String(raw.MessageFrameID) : undefined;
}

/** A response to a request: `{"response":"<name lower-cased>", "data":{...}}`. */
export function responseMessage(raw: unknown): { response: string; data?: unknown } | undefined {
  return isObj(raw) && isStr(raw.response) ? { response: raw.response, data: raw.data } : undefined;
}

/** An event: `{"event":"onLoad", "_id":n, "data":{...}}` (acks carry `result`, which we never receive). */
export function eventMessage(raw: unknown): { event: string; _id: number | string; data?: unknown } | undefined {
  return isObj(raw) && isStr(raw.event) && isId(raw._id) && raw.result === undefined ? { event: raw.event, _id: raw._id, data: raw.data } : undefined;
}

export interface MemberAuth {
  site: string;
  companyid: string;
  memberid: string;
  memberHash: string;
  memberEmail?: string | null;
  memberContext?: string | null;
  [key: string]: unknown;
}
const nonEmpty = (v: unknown) => isStr(v) && v.length > 0;
const optStr = (v: unknown) => isNullish(v) || isStr(v);
export const memberAuthentication: Check<MemberAuth> = (raw) => {
  if (!isObj(raw)) return { ok: false, field: 'body' };
  const wrong = firstWrong(raw, { site: isStr, companyid: nonEmpty, memberid: nonEmpty, memberHash: nonEmpty, memberEmail: optStr, memberContext: optStr });
  return wrong ? { ok: false, field: wrong } : { ok: true, value: raw as MemberAuth };
};

export interface ScreenEventData {
  screen: string;
  id?: number | string | null;
  hostedAs?: string | null;
  [key: string]: unknown;
}
export const screenEventData: Check<ScreenEventData> = (raw) => {
  if (!isObj(raw)) return { ok: false, field: 'body' };
  const wrong = firstWrong(raw, { screen: isStr, id: (v) => isNullish(v) || isId(v), hostedAs: optStr });
  return wrong ? { ok: false, field: wrong } : { ok: true, value: raw as ScreenEventData };
};
