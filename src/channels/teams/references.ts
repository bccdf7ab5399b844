import type { PlatformIdentityRepository } from '../../store/repositories/index.js';
import type { JsonValue } from '../../core/json.js';
import { conversationReferenceSchema, type StoredReference } from './address.js';

export const TEAMS_PLATFORM = 'teams';

/** What Switchboard knows about reaching one tenant user in Teams. */
export interface TeamsContact {
  readonly entraTenantId: string;
  readonly aadObjectId: string;
  /** Their personal chat with the bot, when they have written to it (or we opened one). */
  readonly reference: StoredReference | null;
}

/** Conversation references per user, for proactive messages (approval cards). */
export interface TeamsReferenceStore {
  /** Records the Teams identity; `reference` (a personal chat) replaces the stored one when given. */
  remember(input: { tenantId: string; userId: string; entraTenantId: string; aadObjectId: string; reference?: StoredReference }): Promise<void>;
  contactOf(tenantId: string, userId: string): Promise<TeamsContact | null>;
}

/** platform_identities rows (platform "teams", team = Entra tenant, external id = AAD object id, address = reference). */
export function platformIdentityReferenceStore(identities: PlatformIdentityRepository): TeamsReferenceStore {
  return {
    async remember({ tenantId, userId, entraTenantId, aadObjectId, reference }) {
      await identities.link(tenantId, {
        platform: TEAMS_PLATFORM,
        teamId: entraTenantId,
        externalId: aadObjectId,
        userId,
        ...(reference ? { address: reference as unknown as JsonValue } : {}),
      });
    },
    async contactOf(tenantId, userId) {
      const rows = await identities.forUser(tenantId, userId, TEAMS_PLATFORM);
      if (rows.length === 0) return null;
      const withReference = rows.find((row) => conversationReferenceSchema.safeParse(row.address).success);
      const row = withReference ?? rows[0]!;
      const parsed = conversationReferenceSchema.safeParse(row.address);
      return { entraTenantId: row.teamId, aadObjectId: row.externalId, reference: parsed.success ? parsed.data : null };
    },
  };
}
