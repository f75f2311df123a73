import { z } from 'zod';

/**
 * Every setting Forte understands. One schema is both the validator and the type.
 * Precedence (see load.ts): defaults <- <data>/forte.json <- FORTE_* env <- command-line flags.
 */
export const ConfigSchema = z.object({
  dataDir: z.string().min(1),
  server: z
    .object({
      host: z.string().default('0.0.0.0'),
      port: z.coerce.number().int().min(1).max(65535).default(8000),
      /** Set when Forte sits behind HTTPS (LAN TLS or a proxy): cookies get `Secure`. */
      https: z.boolean().default(false),
    })
    .default({ host: '0.0.0.0', port: 8000, https: false }),
  database: z
    .object({
      /** embedded: Forte runs the bundled cluster in <data>/pg. service: a cluster someone else runs. external: a managed URL. */
      mode: z.enum(['embedded', 'service', 'external']).default('embedded'),
      url: z.string().optional(),
      port: z.coerce.number().int().min(1).max(65535).optional(),
      superuser: z.string().default('forte'),
      password: z.string().optional(),
      name: z.string().default('forte'),
      poolSize: z.coerce.number().int().min(1).max(100).default(10),
    })
    .default({ mode: 'embedded', superuser: 'forte', name: 'forte', poolSize: 10 }),
  session: z
    .object({
      idleMinutes: z.coerce.number().int().min(1).max(24 * 60).default(8 * 60),
      absoluteHours: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
    })
    .default({ idleMinutes: 480, absoluteHours: 336 }),
  log: z
    .object({
      level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
      console: z.boolean().default(true),
    })
    .default({ level: 'info', console: true }),
  scheduler: z
    .object({ enabled: z.boolean().default(true) })
    .default({ enabled: true }),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Keys whose values never appear in `config show` or logs. */
export const SECRET_KEYS = new Set(['password', 'url', 'secret', 'token']);
