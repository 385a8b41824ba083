// The wire shapes of the ConnectWise Hosted API (child side), as zod schemas.
// Messages travel as JSON strings; anything that does not parse into one of
// these shapes is ignored.
import { z } from 'zod';

/** The parent tells the child which frame it is: `{"MessageFrameID":"<id>"}`. */
export const frameIdMessage = z.object({ MessageFrameID: z.union([z.string(), z.number()]).transform(String) });

/** A response to a request: `{"response":"<name lower-cased>", "data":{...}}`. */
export const responseMessage = z.object({ response: z.string(), data: z.unknown().optional() });

/** An event: `{"event":"onLoad", "_id":n, "data":{...}}` (acks carry `result`, which we never receive). */
export const eventMessage = z.object({
  event: z.string(),
  _id: z.union([z.number(), z.string()]),
  data: z.unknown().optional(),
  result: z.undefined().optional(),
});

export const memberAuthentication = z
  .object({
    site: z.string(),
    companyid: z.string().min(1),
    memberid: z.string().min(1),
    memberHash: z.string().min(1),
    memberEmail: z.string().nullish(),
    memberContext: z.string().nullish(),
  })
  .loose();
export type MemberAuth = z.infer<typeof memberAuthentication>;

export const screenEventData = z
  .object({
    screen: z.string(),
    id: z.union([z.number(), z.string()]).nullish(),
    hostedAs: z.string().nullish(),
  })
  .loose();
export type ScreenEventData = z.infer<typeof screenEventData>;
