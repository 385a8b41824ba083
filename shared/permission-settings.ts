// Who may push to Xero and run syncs besides CW–Xero Sync's admins (issue 12):
// ConnectWise security roles and/or members. The rule is server/permission.ts.
import { z } from 'zod';

/** A ConnectWise security role's name. */
export const roleName = z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters');
/** A ConnectWise member identifier (login name). */
export const memberIdentifier = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'at most 100 characters')
  .regex(/^[A-Za-z0-9._@-]+$/, 'a ConnectWise member identifier has letters, digits and . _ @ - only');

/** Default: the Finance role (and, always, the admins). */
export const pushersSchema = z.object({
  securityRoles: z.array(roleName).max(50).default(['Finance']),
  memberIdentifiers: z.array(memberIdentifier).max(200).default([]),
});
export type Pushers = z.infer<typeof pushersSchema>;

