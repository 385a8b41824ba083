// GET /api/settings/tracking-choices: what the settings pod's Tracking card
// maps between — each connected Xero organisation's tracking categories and
// their options, ConnectWise's billing locations, and ConnectWise's values of
// the other sources (departments, GL classes, product sub-categories) by name,
// read live and never stored — and
// POST /api/settings/tracking-options: an option created in a Xero category.
import { z } from 'zod';

/**
 * ConnectWise's values of one tracking source: `value` is the key the rule
 * (server/domain/tracking-mapping.ts) matches a record's value against — a
 * department's or sub-category's id as text, a GL class as ConnectWise exports
 * it — and `name` what people call it. `error`: why ConnectWise's list could not
 * be read (a missing permission, say); the values are then empty and the card
 * lets the admin type them.
 */
export const trackingSourceValues = z.object({
  values: z.array(z.object({ value: z.string(), name: z.string() })),
  error: z.string().nullable(),
});
export type TrackingSourceValues = z.infer<typeof trackingSourceValues>;

export const trackingChoicesResponse = z.object({
  organisations: z.array(
    z.object({
      xeroTenantId: z.string(),
      name: z.string(),
      categories: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          status: z.string(),
          options: z.array(z.object({ name: z.string(), status: z.string() })),
        }),
      ),
      /** Why the organisation could not be read (its categories are then empty). */
      error: z.string().nullable(),
    }),
  ),
  /** ConnectWise's billing locations (the values of the "location" source). */
  locations: z.array(z.object({ id: z.number().int(), name: z.string() })),
  /** ConnectWise's values of the other sources, by name. */
  sources: z.object({ department: trackingSourceValues, glClass: trackingSourceValues, productCategory: trackingSourceValues }),
});
export type TrackingChoicesResponse = z.infer<typeof trackingChoicesResponse>;

export const createTrackingOptionRequest = z
  .object({
    xeroTenantId: z.string().trim().min(1).max(100),
    categoryId: z.string().trim().regex(/^[0-9a-fA-F-]{36}$/, 'a Xero tracking category id'),
    /** Xero's limit is 100 characters; names are unique within the category. */
    name: z.string().trim().min(1, 'a name').max(100, 'at most 100 characters'),
  })
  .strict();
export type CreateTrackingOptionRequest = z.infer<typeof createTrackingOptionRequest>;

export const createTrackingOptionResponse = z.object({ option: z.object({ name: z.string(), status: z.string() }) });
