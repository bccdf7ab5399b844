import type { CloudAdapter, ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import type { RetryPolicy } from 'cockatiel';
import type { BotIdentity } from './cloudAdapter.js';
import { storedReference, toConversationReference, type StoredReference } from './address.js';
import { withRetries } from './retry.js';

/**
 * Proactive access to Teams conversations: each call opens a continuation turn (the SDK builds the
 * Bot Connector client for the reference's serviceUrl) with throttling retries installed, and
 * rethrows what the callback threw instead of letting the adapter's turn-error handler swallow it.
 */
export class TeamsConversations {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly identity: BotIdentity,
    private readonly policy: RetryPolicy,
  ) {}

  async run<T>(reference: StoredReference, fn: (context: TurnContext) => Promise<T>): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await this.adapter.continueConversation(this.identity, toConversationReference(reference), async (context) => {
      try {
        outcome = { ok: true, value: await fn(withRetries(context, this.policy)) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error('teams continuation did not run');
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Opens a 1:1 chat with someone the bot has no reference for yet (the app must be installed for
   * them), through a Bot Connector reachable from `via` (same tenant and region). Returns the new
   * chat's reference.
   */
  async createPersonal(via: StoredReference, member: { aadObjectId: string; entraTenantId: string }): Promise<StoredReference> {
    return this.run(via, async (context) => {
      const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const created = await this.policy.execute(() =>
        client.createConversation({
          isGroup: false,
          // The wire name is `bot`; the SDK's type calls it `agent`.
          agent: { id: via.agent?.id ?? '', ...(via.agent?.name ? { name: via.agent.name } : {}) },
          bot: { id: via.agent?.id ?? '', ...(via.agent?.name ? { name: via.agent.name } : {}) },
          members: [{ id: member.aadObjectId, aadObjectId: member.aadObjectId }],
          tenantId: member.entraTenantId,
          channelData: { tenant: { id: member.entraTenantId } },
        } as unknown as Parameters<ConnectorClient['createConversation']>[0]),
      );
      if (!created.id) throw new Error('Teams did not return a conversation id');
      return storedReference({
        channelId: via.channelId,
        serviceUrl: via.serviceUrl,
        conversation: { id: created.id, conversationType: 'personal', tenantId: member.entraTenantId, isGroup: false },
        ...(via.agent ? { agent: via.agent } : {}),
        user: { id: member.aadObjectId, aadObjectId: member.aadObjectId },
      } as Parameters<typeof storedReference>[0]);
    });
  }
}
