import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** The SLACK_* environment variables, as the channel reads them (unset and empty mean the same). */
const slackEnvSchema = z.object({
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  SLACK_API_URL: optionalString.pipe(z.string().url().optional()),
  SLACK_TENANT_ID: optionalString,
  PUBLIC_URL: optionalString.pipe(z.string().url().optional()),
});

export type SlackMode = 'single' | 'multi' | 'socket';

export interface SlackSettings {
  readonly mode: SlackMode;
  readonly signingSecret?: string;
  readonly botToken?: string;
  readonly appToken?: string;
  readonly oauth?: { readonly clientId: string; readonly clientSecret: string; readonly stateSecret: string };
  /** Web API base URL; defaults to Slack's. Tests and proxies point it elsewhere. */
  readonly apiUrl?: string;
  /** Tenant owning the single workspace (SLACK_TENANT_ID); the composition root may supply the only configured tenant instead. */
  readonly tenantId?: string;
  readonly publicUrl?: string;
  /** Minimum gap between two edits of one message (Slack allows ~1 chat.update per second per channel). */
  readonly minEditIntervalMs: number;
  /** Minimum gap between two appends to one stream. */
  readonly minStreamIntervalMs: number;
  /** How long a looked-up Slack profile stays cached. */
  readonly profileCacheTtlMs: number;
}

export type SlackSettingsOverrides = Partial<Pick<SlackSettings, 'minEditIntervalMs' | 'minStreamIntervalMs' | 'profileCacheTtlMs'>>;

/**
 * Decides the mode from which credentials are present: an app token means Socket Mode, OAuth client
 * credentials mean multi-workspace installs, a bot token plus signing secret mean one workspace.
 * Returns null when Slack is not configured at all, so the product can run without it.
 */
export function slackSettingsFromEnv(source: Record<string, string | undefined>, overrides: SlackSettingsOverrides = {}): SlackSettings | null {
  const parsed = slackEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid Slack settings: ${problems.join('; ')}`, { problems });
  }
  const env = parsed.data;
  const base = {
    minEditIntervalMs: overrides.minEditIntervalMs ?? 1000,
    minStreamIntervalMs: overrides.minStreamIntervalMs ?? 250,
    profileCacheTtlMs: overrides.profileCacheTtlMs ?? 60 * 60 * 1000,
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
    ...(env.SLACK_TENANT_ID ? { tenantId: env.SLACK_TENANT_ID } : {}),
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
  };
  if (env.SLACK_APP_TOKEN) {
    if (!env.SLACK_BOT_TOKEN) throw new ConfigError('SLACK_APP_TOKEN (Socket Mode) also needs SLACK_BOT_TOKEN');
    return { ...base, mode: 'socket', appToken: env.SLACK_APP_TOKEN, botToken: env.SLACK_BOT_TOKEN };
  }
  if (env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET) {
    const missing = (['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_SIGNING_SECRET'] as const).filter((key) => !env[key]);
    if (missing.length > 0) throw new ConfigError(`multi-workspace Slack needs ${missing.join(', ')}`, { missing });
    return {
      ...base,
      mode: 'multi',
      signingSecret: env.SLACK_SIGNING_SECRET as string,
      oauth: { clientId: env.SLACK_CLIENT_ID as string, clientSecret: env.SLACK_CLIENT_SECRET as string, stateSecret: env.SLACK_STATE_SECRET as string },
    };
  }
  if (!env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET) return null;
  if (!env.SLACK_BOT_TOKEN || !env.SLACK_SIGNING_SECRET) {
    throw new ConfigError('single-workspace Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
  }
  return { ...base, mode: 'single', botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET };
}
