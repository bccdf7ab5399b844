import { z } from 'zod';
import type { TurnContext } from '@microsoft/agents-hosting';
import { TeamsInfo } from '@microsoft/agents-hosting-extensions-teams';
import type { KeyValueStore } from '../../infra/keyValue.js';
import { tenantKey } from '../../infra/keys.js';
import type { Logger } from '../../core/logger.js';
import type { PlatformDirectory, PlatformProfile } from '../../gateway/gateway.js';
import { statusOf } from './retry.js';

const profileSchema = z.object({ email: z.string().email().optional(), displayName: z.string().optional() });

/**
 * Teams member profiles (email / UPN) via the SDK's member lookup during a turn, cached in the
 * shared store so the gateway's directory (and other processes) can read them without a turn.
 */
export class TeamsProfiles {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  async forSender(context: TurnContext, tenantId: string, entraTenantId: string, aadObjectId: string): Promise<PlatformProfile> {
    const cached = await this.read(tenantId, entraTenantId, aadObjectId);
    if (cached) return cached;
    const fromId = context.activity.from?.id;
    if (!fromId) return {};
    try {
      const member = await TeamsInfo.getMember(context, fromId);
      const email = [member.email, member.userPrincipalName].find((v): v is string => typeof v === 'string' && z.string().email().safeParse(v).success);
      const profile: PlatformProfile = { ...(email ? { email: email.toLowerCase() } : {}), ...(member.name ? { displayName: member.name } : {}) };
      await this.kv.set(this.key(tenantId, entraTenantId, aadObjectId), JSON.stringify(profile), { ttlMs: this.ttlMs });
      return profile;
    } catch (error) {
      // Without an email the gateway can still match a known identity; it refuses unknown people clearly.
      this.logger.warn({ status: statusOf(error) }, 'teams member lookup failed');
      return {};
    }
  }

  /** For the gateway: profiles seen by this channel (any process). */
  directory(tenantFor: (entraTenantId: string) => Promise<string | null>): PlatformDirectory {
    return {
      lookup: async ({ externalId, teamId }) => {
        const tenantId = await tenantFor(teamId);
        return tenantId ? this.read(tenantId, teamId, externalId) : null;
      },
    };
  }

  private async read(tenantId: string, entraTenantId: string, aadObjectId: string): Promise<PlatformProfile | null> {
    const raw = await this.kv.get(this.key(tenantId, entraTenantId, aadObjectId));
    if (!raw) return null;
    const parsed = profileSchema.safeParse(JSON.parse(raw));
    return parsed.success ? { ...(parsed.data.email ? { email: parsed.data.email } : {}), ...(parsed.data.displayName ? { displayName: parsed.data.displayName } : {}) } : null;
  }

  private key(tenantId: string, entraTenantId: string, aadObjectId: string): string {
    return tenantKey(tenantId, 'teams', 'profile', entraTenantId, aadObjectId);
  }
}
