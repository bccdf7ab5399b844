import type { TenantConfig } from '../config/tenantConfig.js';
import { BudgetExceededError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { capsOf, requestCaps } from '../budget/caps.js';
import type { DailyCounters } from '../budget/dailyCounters.js';
import type { Directory } from '../engine/persistence/directory.js';
import type { RunsTable } from '../engine/persistence/runsTable.js';
import type { Run } from '../generated/prisma/client.js';
import type { BoundaryHook } from '../tools/pipeline/types.js';
import { tenantKey } from '../infra/keys.js';
import type { RateLimiter } from '../infra/rateLimiter.js';
import type { Gateway, IdentifyRequest, PlatformDirectory, SubmitResult } from './gateway.js';
import { turnSchema, type ChannelKind, type Turn } from './turn.js';

export interface EngineGatewayDeps {
  readonly runs: RunsTable;
  readonly directory: Directory;
  readonly rateLimiter: RateLimiter;
  readonly daily: DailyCounters;
  readonly tenants: (tenantId: string) => TenantConfig | undefined;
  /** Per channel, to match a platform user to a tenant user by email on first contact. */
  readonly platformDirectories: Partial<Record<ChannelKind, PlatformDirectory>>;
  readonly enqueue: (tenantId: string, runId: string) => Promise<void>;
  readonly logger: Logger;
  /** Crash-test hook at the gateway's durable boundaries. */
  readonly onBoundary?: BoundaryHook;
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
    // Duplicate deliveries are settled by the run row itself (unique per tenant, channel and
    // delivery id): a retry after a crash either finds the run (and finishes handing it over) or
    // creates it. No separate claim exists that a crash could leave behind without a run.
    const existing = await this.deps.runs.byDelivery(tenant.id, turn.channel, turn.deliveryId);
    if (existing) return this.settleDuplicate(existing, turn);
    return this.accept(tenant, turn);
  }

  /** A redelivery: make sure what the first delivery may not have finished (message, enqueue) is done. */
  private async settleDuplicate(run: Run, turn: Turn): Promise<SubmitResult> {
    if (!(await this.deps.directory.hasMessage(run.tenantId, run.id, 'user'))) {
      await this.deps.directory.appendMessage(run.tenantId, run.conversationId, run.id, 'user', turn.text);
    }
    if (run.status === 'queued') await this.deps.enqueue(run.tenantId, run.id);
    return { status: 'duplicate' };
  }

  private async accept(tenant: TenantConfig, turn: Turn): Promise<SubmitResult> {
    const { deps } = this;
    const user = await this.resolveUser(tenant.id, turn.channel, turn.platformUser);
    if (!user) {
      // Name who administers Switchboard there (tenants file `adminContact`), so the person knows whom to ask.
      const ask = tenant.adminContact ? `Please ask ${tenant.adminContact}, who administers Switchboard at ${tenant.name}, to add you.` : 'Please ask your IT team to add you.';
      return { status: 'refused', code: 'unknown_user', message: `I could not match your ${turn.channel} account to an employee of ${tenant.name}. ${ask}` };
    }
    if (user.deactivatedAt) {
      return { status: 'refused', code: 'unknown_user', message: `Your access to Switchboard was removed by ${tenant.name}, so I cannot act for you. If this is a mistake, please ask your IT team.` };
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
    await deps.onBoundary?.('gateway.before_run', { runId: '' });
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
    if (!created) return this.settleDuplicate(run, turn);
    await deps.onBoundary?.('gateway.run_created', { runId: run.id });
    await deps.directory.appendMessage(tenant.id, conversationId, run.id, 'user', turn.text);
    await deps.enqueue(tenant.id, run.id);
    return { status: 'accepted', runId: run.id, userId: user.id };
  }

  async identify(request: IdentifyRequest): Promise<{ userId: string } | null> {
    if (!this.deps.tenants(request.tenantId)) return null;
    const user = await this.resolveUser(request.tenantId, request.channel, request.platformUser);
    return user ? { userId: user.id } : null;
  }

  /** Deactivated people are still recognised (so they get a clear answer), never served. */
  private async resolveUser(tenantId: string, channel: ChannelKind, platformUser: IdentifyRequest['platformUser']): Promise<{ id: string; deactivatedAt: Date | null } | null> {
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
