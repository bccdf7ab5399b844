import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** The MICROSOFT_APP_* variables (Azure Bot registration), as the channel reads them. */
const teamsEnvSchema = z.object({
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  MICROSOFT_APP_TYPE: optionalString.pipe(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  /** Sovereign clouds (and the test's local OpenID issuer) use another Entra authority. */
  MICROSOFT_APP_AUTHORITY: optionalString.pipe(z.string().url().optional()),
  NODE_ENV: optionalString,
});

export type TeamsAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export type TeamsAuth =
  | { readonly mode: 'anonymous' }
  | {
      readonly mode: 'credentials';
      readonly appId: string;
      readonly appType: TeamsAppType;
      readonly password?: string;
      readonly tenantId?: string;
      readonly authority?: string;
    };

export interface TeamsSettings {
  readonly auth: TeamsAuth;
  /** NODE_ENV=production: anonymous mode is refused and unmapped Entra tenants are told they are not set up. */
  readonly production: boolean;
  /** Gap between two stream updates in a personal chat (Teams asks for about one per second). */
  readonly streamIntervalMs: number;
  /** Gap between two edits of one progress message in group chats and channels. */
  readonly minEditIntervalMs: number;
  /** Retries of a Bot Connector call answered 429/412/502/503/504. */
  readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  /** How long a looked-up Teams member profile (email) stays cached. */
  readonly profileCacheTtlMs: number;
}

export type TeamsSettingsOverrides = Partial<Pick<TeamsSettings, 'streamIntervalMs' | 'minEditIntervalMs' | 'retry' | 'profileCacheTtlMs'>>;

/**
 * Reads the Azure Bot registration. Without MICROSOFT_APP_ID the channel runs in anonymous
 * development mode (no JWT check), which is refused outright in production: an open
 * /api/messages would let anyone act as any employee.
 */
export function teamsSettingsFromEnv(source: Record<string, string | undefined>, overrides: TeamsSettingsOverrides = {}): TeamsSettings {
  const parsed = teamsEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid Teams settings: ${problems.join('; ')}`, { problems });
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const base = {
    production,
    streamIntervalMs: overrides.streamIntervalMs ?? 1000,
    minEditIntervalMs: overrides.minEditIntervalMs ?? 1000,
    retry: overrides.retry ?? { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000 },
    profileCacheTtlMs: overrides.profileCacheTtlMs ?? 60 * 60 * 1000,
  };
  if (!env.MICROSOFT_APP_ID) {
    const settings: TeamsSettings = { ...base, auth: { mode: 'anonymous' } };
    assertStartable(settings);
    return settings;
  }
  const appType: TeamsAppType = env.MICROSOFT_APP_TYPE ?? (env.MICROSOFT_APP_TENANT_ID ? 'SingleTenant' : 'MultiTenant');
  if (appType !== 'UserAssignedMSI' && !env.MICROSOFT_APP_PASSWORD) throw new ConfigError('MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID');
  if (appType !== 'MultiTenant' && !env.MICROSOFT_APP_TENANT_ID) throw new ConfigError(`MICROSOFT_APP_TENANT_ID is required for a ${appType} bot`);
  return {
    ...base,
    auth: {
      mode: 'credentials',
      appId: env.MICROSOFT_APP_ID,
      appType,
      ...(env.MICROSOFT_APP_PASSWORD && appType !== 'UserAssignedMSI' ? { password: env.MICROSOFT_APP_PASSWORD } : {}),
      ...(env.MICROSOFT_APP_TENANT_ID ? { tenantId: env.MICROSOFT_APP_TENANT_ID } : {}),
      ...(env.MICROSOFT_APP_AUTHORITY ? { authority: env.MICROSOFT_APP_AUTHORITY } : {}),
    },
  };
}

/** Checked again when the channel starts, for settings built by hand. */
export function assertStartable(settings: TeamsSettings): void {
  if (settings.auth.mode === 'anonymous' && settings.production) {
    throw new ConfigError('Teams needs MICROSOFT_APP_ID (and MICROSOFT_APP_PASSWORD or a managed identity) in production; anonymous mode is for development only');
  }
}
