// Timing of the bulk job engine, from the environment (tests shorten them).
//   BULK_JOB_EXPIRE_SECONDS   a step not finished by then is presumed dead and retried (default 600)
//   BULK_JOB_POLL_SECONDS     how often idle instances look for work (default 1)
//   BULK_JOB_MAINTENANCE_SECONDS  how often pg-boss expires dead jobs (default 30)
import { z } from 'zod';

const schema = z.object({
  BULK_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(5).default(600),
  BULK_JOB_POLL_SECONDS: z.coerce.number().min(0.5).default(1),
  BULK_JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(30),
});

export function jobSettings(env: Record<string, string | undefined> = process.env) {
  const e = schema.parse({
    BULK_JOB_EXPIRE_SECONDS: env.BULK_JOB_EXPIRE_SECONDS || undefined,
    BULK_JOB_POLL_SECONDS: env.BULK_JOB_POLL_SECONDS || undefined,
    BULK_JOB_MAINTENANCE_SECONDS: env.BULK_JOB_MAINTENANCE_SECONDS || undefined,
  });
  return { expireSeconds: e.BULK_JOB_EXPIRE_SECONDS, pollSeconds: e.BULK_JOB_POLL_SECONDS, maintenanceSeconds: e.BULK_JOB_MAINTENANCE_SECONDS };
}
