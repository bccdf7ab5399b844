import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { parseKeyRing } from '../store/crypto/keyRing.js';

// Empty strings (as `.env` files and shells produce) mean "not set".
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url('must be a URL such as https://example.com').optional());
const intWithDefault = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? fallback : Number(v)),
    z.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );
const flag = (fallback: boolean) =>
  z.preprocess((v) => (v === undefined || v === '' ? fallback : v), z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1')]));

/** Every environment variable Switchboard reads, in one place. */
export const envSchema = z
  .object({
    NODE_ENV: z.preprocess((v) => (v === '' || v === undefined ? 'development' : v), z.enum(['development', 'test', 'production'])),
    PORT: intWithDefault(3000, 0, 65535),
    /** Bind address; unset = 127.0.0.1 in the embedded posture, every interface when deployed (src/config/posture.ts). */
    HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[0-9A-Za-z.:[\]-]+$/, 'must be an IP address or host name such as 0.0.0.0').optional()),
    /** embedded | deployed; unset = derived from the environment (src/config/posture.ts). */
    SWITCHBOARD_POSTURE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['embedded', 'deployed'], { error: 'must be embedded or deployed' }).optional()),
    /** The web playground; unset = on in the embedded posture, off when deployed (where it acts only as the signed-in person). */
    PLAYGROUND: z.preprocess((v) => (v === '' ? undefined : v), z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1')]).optional()),
    /** Where browsers and chat platforms reach this process (OAuth redirect URIs, Teams/Slack links). */
    PUBLIC_URL: optionalUrl,
    LOG_LEVEL: z.preprocess((v) => (v === '' || v === undefined ? 'info' : v), z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
    LOG_PRETTY: flag(false),
    DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional()),
    REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional()),
    /** Prepended to every Redis key and pub/sub channel, so deployments sharing one Redis server never see each other's data or run events. */
    REDIS_PREFIX: z.preprocess((v) => (v === '' || v === undefined ? 'sb:' : v), z.string().regex(/^[A-Za-z0-9_.:{}-]{1,64}$/, 'must be 1-64 letters, digits or _.:{}- such as "acme-prod:"')),
    /** Expose the sandboxes' fault knobs and read-only record views over HTTP outside the embedded default (never for real systems). */
    SANDBOX_ADMIN: z.preprocess((v) => (v === '' ? undefined : v), z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1')]).optional()),
    DATA_DIR: z.preprocess((v) => (v === '' || v === undefined ? './.data' : v), z.string()),
    TENANTS_FILE: optionalString,
    SWITCHBOARD_ENCRYPTION_KEYS: optionalString,
    SWITCHBOARD_ENCRYPTION_KEY_ID: optionalString,
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalUrl,
    /** Model for the fast tier when the tenant file configures no tiers (gpt-4o-mini by default). */
    OPENAI_MODEL: optionalString,
    /** Model for the power tier in that case (OPENAI_MODEL by default). */
    OPENAI_POWER_MODEL: optionalString,
    SLACK_BOT_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional()),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional()),
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: optionalString,
    SLACK_API_URL: optionalUrl,
    /** Tenant that single-workspace Slack traffic belongs to. */
    SLACK_TENANT_ID: optionalString,
    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TENANT_ID: optionalString,
    /** Entra authority for the bot's token requests (sovereign clouds); the SDK's public-cloud default otherwise. */
    MICROSOFT_APP_AUTHORITY: optionalUrl,
    MICROSOFT_APP_TYPE: z.preprocess((v) => (v === '' || v === undefined ? 'MultiTenant' : v), z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'])),
    /** Bearer token for GET /metrics; without it /metrics answers loopback callers in the embedded posture only. */
    METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'must be at least 16 characters').optional()),
    WORKERS_PER_PROCESS: intWithDefault(4, 1, 256),
    SANDBOX_PORTS_START: intWithDefault(4101, 1024, 65000),
    /** Link demo users' sandbox accounts automatically at startup (sandbox mode only). */
    DEMO_AUTOLINK: flag(true),
    /** The Okta sandbox provisions the demo tenant over /scim/v2 with a token minted at each start (issue 16, docs/scim.md). */
    SANDBOX_SCIM_PUSH: flag(false),
    /** Example tenant service token (named by serviceTokenEnv in the tenants file). */
    OKTA_SERVICE_TOKEN: optionalString,
  })
  .superRefine((env, ctx) => {
    const issue = (path: string, message: string): void => { ctx.addIssue({ code: 'custom', path: [path], message }); };
    if (env.SWITCHBOARD_ENCRYPTION_KEYS !== undefined) {
      try {
        parseKeyRing(env.SWITCHBOARD_ENCRYPTION_KEYS, env.SWITCHBOARD_ENCRYPTION_KEY_ID);
      } catch (error) {
        const message = error instanceof Error ? error.message : 'invalid';
        issue(message.startsWith('SWITCHBOARD_ENCRYPTION_KEY_ID') ? 'SWITCHBOARD_ENCRYPTION_KEY_ID' : 'SWITCHBOARD_ENCRYPTION_KEYS', message.replace(/^SWITCHBOARD_ENCRYPTION_KEYS?(_ID)?:?\s*/, ''));
      }
    } else if (env.SWITCHBOARD_ENCRYPTION_KEY_ID !== undefined) {
      issue('SWITCHBOARD_ENCRYPTION_KEY_ID', 'is set but SWITCHBOARD_ENCRYPTION_KEYS is not');
    }
    if (env.NODE_ENV === 'production') {
      if (env.SWITCHBOARD_POSTURE === 'embedded') issue('SWITCHBOARD_POSTURE', 'cannot be embedded in production (the embedded posture lets anyone act as any demo person)');
      if (env.SWITCHBOARD_ENCRYPTION_KEYS === undefined) issue('SWITCHBOARD_ENCRYPTION_KEYS', 'is required in production (format kid:base64-32-byte-key)');
      if (env.PUBLIC_URL === undefined) issue('PUBLIC_URL', 'is required in production (OAuth redirect URIs are built from it)');
    }
    if (env.SLACK_BOT_TOKEN !== undefined && env.SLACK_SIGNING_SECRET === undefined && env.SLACK_APP_TOKEN === undefined) {
      issue('SLACK_SIGNING_SECRET', 'is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
    }
    if ((env.SLACK_CLIENT_ID === undefined) !== (env.SLACK_CLIENT_SECRET === undefined)) {
      issue(env.SLACK_CLIENT_ID === undefined ? 'SLACK_CLIENT_ID' : 'SLACK_CLIENT_SECRET', 'SLACK_CLIENT_ID and SLACK_CLIENT_SECRET must be set together');
    }
    if (env.MICROSOFT_APP_ID !== undefined && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && env.MICROSOFT_APP_PASSWORD === undefined) {
      issue('MICROSOFT_APP_PASSWORD', 'is required with MICROSOFT_APP_ID');
    }
    if (env.MICROSOFT_APP_TYPE === 'SingleTenant' && env.MICROSOFT_APP_ID !== undefined && env.MICROSOFT_APP_TENANT_ID === undefined) {
      issue('MICROSOFT_APP_TENANT_ID', 'is required when MICROSOFT_APP_TYPE is SingleTenant');
    }
  });

export type Env = z.infer<typeof envSchema>;

/**
 * Parses the environment once at startup. The error names every bad variable and why, never its value
 * (several are secrets).
 */
export function loadEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`);
  throw new ConfigError(`Invalid environment:\n  - ${problems.join('\n  - ')}`, { variables: result.error.issues.map((i) => i.path.join('.')) });
}

/** The URL OAuth redirects and links are built on: PUBLIC_URL, or localhost on PORT in development. */
export function publicUrlOf(env: Env): string {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
}
