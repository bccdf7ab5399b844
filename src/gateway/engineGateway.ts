import type { TenantConfig } from '../config/tenantConfig.js';
import { BudgetExceededError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { capsOf, requestCaps } from '../budget/caps.js';
import type { DailyCounters } from '../budget/dailyCounters.js';
import type { Directory } from '../engine/persistence/directory.js';
import type { RunsTable } from '../engine/persistence/runsTable.js';
import type { KeyValueStore } from '../infra/keyValue.js';
import { tenantKey } from '../infra/keys.js';
import type { RateLimiter } from '../infra/rateLimiter.js';
import type { Gateway, IdentifyRequest, PlatformDirectory, SubmitResult } from './gateway.js';
import { turnSchema, type ChannelKind, type Turn } from './turn.js';

const DEDUP_TTL_MS = 24 * 60 * 60 * 1000;

export interface EngineGatewayDeps {
  readonly runs: RunsTable;
  readonly directory: Directory;
  readonly kv: KeyValueStore;
  readonly rateLimiter: RateLimiter;
  readonly daily: DailyCounters;
  readonly tenants: (tenantId: string) => TenantConfig | undefined;
  /** Per channel, to match a platform user to a tenant user by email on first contact. */
  readonly platformDirectories: Partial<Record<ChannelKind, PlatformDirectory>>;
  readonly enqueue: (tenantId: string, runId: string) => Promise<void>;
  readonly logger: Logger;
}

/**
 * The front door for every channel: validate, dedup, identify, limit, persist, enqueue, return.
 * No model or connector is called here, so channels can ack within their deadlines.
 */
export class EngineGateway implements Gateway {
  constructor(private readonly deps: EngineGatewayDeps) {}

  async submit(input: Turn): Promise<SubmitResult> {
    const parsed = turnSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
      return { status: 'refused', code: 'invalid_input', message: `I could not read that message: ${issue?.message ?? 'it is malformed'}${where}.` };
    }
    const turn = parsed.data;
    const tenant = this.deps.tenants(turn.tenantId);
    if (!tenant) return { status: 'refused', code: 'unknown_tenant', message: 'This workspace is not connected to Switchboard yet. Please ask your IT team to set it up.' };
    const dedupKey = tenantKey(tenant.id, 'delivery', turn.channel, turn.deliveryId);
    if (!(await this.deps.kv.set(dedupKey, '1', { ttlMs: DEDUP_TTL_MS, onlyIfAbsent: true }))) return { status: 'duplicate' };
    try {
      return await this.accept(tenant, turn);
    } catch (error) {
      // Let the platform's retry through: nothing durable happened for this delivery.
      await this.deps.kv.delete(dedupKey).catch(() => undefined);
      throw error;
    }
  }

  private async accept(tenant: TenantConfig, turn: Turn): Promise<SubmitResult> {
    const { deps } = this;
    const user = await this.resolveUser(tenant.id, turn.channel, turn.platformUser);
    if (!user) {
      return { status: 'refused', code: 'unknown_user', message: `I could not match your ${turn.channel} account to an employee of ${tenant.name}. Please ask your IT team to add you.` };
    }
    for (const [key, perMinute] of [
      [tenantKey(tenant.id, 'rate', 'user', user.id), tenant.rateLimits.perUserPerMinute],
      [tenantKey(tenant.id, 'rate', 'tenant'), tenant.rateLimits.perTenantPerMinute],
    ] as const) {
      const decision = await deps.rateLimiter.take(key, { capacity: perMinute, windowMs: 60_000 });
      if (!decision.allowed) {
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        return { status: 'refused', code: 'rate_limited', message: `You are sending requests faster than I can take them. Please try again in ${seconds} s.` };
      }
    }
    try {
      await deps.daily.assertAvailable({ tenantId: tenant.id, userId: user.id, userCaps: capsOf(tenant.budgets.perUserDay), tenantCaps: capsOf(tenant.budgets.perTenantDay) });
    } catch (error) {
      if (error instanceof BudgetExceededError) return { status: 'refused', code: 'budget_exceeded', message: error.userMessage };
      throw error;
    }
    const conversationId = await deps.directory.conversation(tenant.id, turn.channel, turn.conversation.externalId, turn.conversation.address);
    const { run, created } = await deps.runs.create({
      tenantId: tenant.id,
      conversationId,
      userId: user.id,
      channel: turn.channel,
      deliveryId: turn.deliveryId,
      input: turn.text,
      reply: turn.conversation.address,
      caps: requestCaps(tenant),
    });
    if (!created) return { status: 'duplicate' };
    await deps.directory.appendMessage(tenant.id, conversationId, run.id, 'user', turn.text);
    await deps.enqueue(tenant.id, run.id);
    return { status: 'accepted', runId: run.id, userId: user.id };
  }

  async identify(request: IdentifyRequest): Promise<{ userId: string } | null> {
    if (!this.deps.tenants(request.tenantId)) return null;
    const user = await this.resolveUser(request.tenantId, request.channel, request.platformUser);
    return user ? { userId: user.id } : null;
  }

  private async resolveUser(tenantId: string, channel: ChannelKind, platformUser: IdentifyRequest['platformUser']): Promise<{ id: string } | null> {
    const { directory } = this.deps;
    const { externalId, teamId } = platformUser;
    const known = await directory.userByIdentity(tenantId, channel, teamId, externalId);
    if (known) return known;
    let email = platformUser.email;
    if (!email) {
      const profile = await this.deps.platformDirectories[channel]?.lookup({ externalId, teamId }).catch((error: unknown) => {
        this.deps.logger.warn({ err: error, channel }, 'platform directory lookup failed');
        return null;
      });
      email = profile?.email;
    }
    if (!email) return null;
    const [user] = await directory.usersByEmails(tenantId, [email]);
    if (!user) return null;
    await directory.linkIdentity(tenantId, user.id, channel, teamId, externalId);
    return user;
  }
}
