// Imported first by every pod entry, before any zod schema is built: the pod
// pages run under a Content-Security-Policy without 'unsafe-eval', and zod 4
// otherwise probes `new Function` (and compiles object parsers with it), which
// the browser reports as a policy violation even though zod swallows the throw.
import { z } from 'zod';

z.config({ jitless: true });
