// Options of one simulator instance, validated with zod so a bad option fails
// at start-up with the option's name.
import { z } from 'zod';

export const DEFAULT_CLIENT_ID = 'SIMCLIENT0000000000000000000001';
export const DEFAULT_CLIENT_SECRET = 'simXeroClientSecret';

const limitsSchema = z.object({
  concurrent: z.number().int().positive().default(5),
  perMinute: z.number().int().positive().default(60),
  perDay: z.number().int().positive().default(5000),
  appPerMinute: z.number().int().positive().default(10000),
});

export const optionsSchema = z.object({
  /** The sim's own origin, used as OpenID issuer and in discovery URLs. startXeroSim fills it in. */
  publicUrl: z.string().url().optional(),
  clients: z
    .array(
      z.object({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        /** Registered redirect URIs; when absent any http(s) URI is accepted (tests use random ports). */
        redirectUris: z.array(z.string().url()).optional(),
      }),
    )
    .default([{ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET }]),
  accessTokenSeconds: z.number().int().positive().default(1800),
  /** How long a rotated-out refresh token keeps working (sim-clock seconds). */
  refreshGraceSeconds: z.number().int().nonnegative().default(1800),
  refreshTokenDays: z.number().int().positive().default(60),
  authCodeSeconds: z.number().int().positive().default(300),
  /** Organisation a client_credentials (custom connection) token reaches; default the first seeded one. */
  customConnectionTenantId: z.string().optional(),
  limits: limitsSchema.prefault({}),
});

export type XeroSimOptionsInput = z.input<typeof optionsSchema>;
export type XeroSimOptions = z.output<typeof optionsSchema>;
export type RateLimits = z.output<typeof limitsSchema>;
export { limitsSchema };
