// GET /api/settings/tracking-choices: what the settings pod's Tracking card
// maps between — each connected Xero organisation's tracking categories and
// their options, and ConnectWise's billing locations — and
// POST /api/settings/tracking-options: an option created in a Xero category.
import { z } from 'zod';

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
