import { z } from 'zod';
import type { PlatformDirectory, PlatformProfile } from '../../gateway/gateway.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import type { Logger } from '../../core/logger.js';
import type { SlackClientProvider } from './webClients.js';
import { tenantKey } from '../../infra/keys.js';

const usersInfoSchema = z.object({
  user: z.object({
    id: z.string(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    real_name: z.string().optional(),
    profile: z.object({ email: z.string().optional(), real_name: z.string().optional(), display_name: z.string().optional() }).optional(),
  }),
});

const cachedProfileSchema = z.object({ email: z.string().optional(), displayName: z.string().optional(), missing: z.boolean().optional() });

export interface SlackDirectoryDeps {
  readonly clients: SlackClientProvider;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly tenantFor: (teamId: string, enterpriseId: string | undefined) => Promise<string | null>;
  readonly ttlMs: number;
}

/**
 * PlatformDirectory for the gateway: a Slack user's email and name from users.info, cached per tenant
 * (keys start with the tenant id) so a busy user costs one API call per TTL, not one per message.
 * `teamId` is the identity key the adapter puts in turns: the Grid org id (E…) or the workspace id (T…).
 */
export class SlackDirectory implements PlatformDirectory {
  constructor(private readonly deps: SlackDirectoryDeps) {}

  async lookup(platformUser: { externalId: string; teamId: string }): Promise<PlatformProfile | null> {
    const { teamId, externalId } = platformUser;
    const enterpriseId = teamId.startsWith('E') ? teamId : undefined;
    const tenantId = await this.deps.tenantFor(enterpriseId ? '' : teamId, enterpriseId);
    if (!tenantId) return null;
    const key = tenantKey(tenantId, 'slack', 'profile', teamId, externalId);
    const cached = await this.deps.kv.get(key);
    if (cached !== null) {
      const parsed = cachedProfileSchema.safeParse(JSON.parse(cached));
      if (parsed.success) return parsed.data.missing ? null : profileOf(parsed.data);
    }
    const client = await this.deps.clients.forWorkspace(enterpriseId ? '' : teamId, enterpriseId);
    let profile: PlatformProfile | null;
    try {
      const parsed = usersInfoSchema.parse(await client.users.info({ user: externalId }));
      const user = parsed.user;
      profile = user.deleted || user.is_bot ? null : profileOf({ email: user.profile?.email, displayName: user.profile?.real_name ?? user.real_name ?? user.profile?.display_name });
    } catch (error) {
      if (errorCode(error) !== 'user_not_found') throw error;
      profile = null;
    }
    await this.deps.kv.set(key, JSON.stringify(profile ?? { missing: true }), { ttlMs: this.deps.ttlMs });
    return profile;
  }
}

function profileOf(input: { email?: string | undefined; displayName?: string | undefined }): PlatformProfile {
  return { ...(input.email ? { email: input.email.toLowerCase() } : {}), ...(input.displayName ? { displayName: input.displayName } : {}) };
}

/** The Slack error string ("users_not_found", "ratelimited", ...) of a WebClient failure, if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null || !('error' in data)) return undefined;
  const code = (data as { error?: unknown }).error;
  return typeof code === 'string' ? code : undefined;
}
