import { z } from 'zod';
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ApprovalDecider } from '../../engine/approvalDecider.js';
import type { Logger } from '../../core/logger.js';
import { identityTeamKey } from './address.js';
import { APPROVE_ACTION_ID, approvalDecidedBlocks, CANCEL_ACTION_ID, DENY_ACTION_ID, DENY_REASON_ACTION_ID, DENY_REASON_CALLBACK_ID, denyReasonModal, LINK_ACTION_ID, outcomeText } from './approvalBlocks.js';
import type { ApprovalMessages } from './approvalMessages.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** Only the fields a decision depends on; the button value is untrusted and carries just the approval id. */
const clickSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  enterprise: z.object({ id: z.string() }).nullish(),
  container: z.object({ channel_id: z.string(), message_ts: z.string() }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().min(1).max(200) })).min(1),
});

/** The deny-with-reason modal's submission: who submitted, and what the modal carried. */
const reasonSubmissionSchema = z.object({
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  enterprise: z.object({ id: z.string() }).nullish(),
  view: z.object({
    private_metadata: z.string().max(2000),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().max(2000).nullish() }))) }),
  }),
});
const reasonMetadataSchema = z.object({ approvalId: z.string().min(1).max(200), channel: z.string(), ts: z.string() });

export type SlackIdentityResolver = (teamId: string, slackUserId: string) => Promise<{ tenantId: string; userId: string } | null>;

export interface ApprovalActionDeps {
  readonly approvals: ApprovalDecider;
  readonly messages: ApprovalMessages;
  readonly identity: SlackIdentityResolver;
  readonly tenantFor: (teamId: string, enterpriseId: string | undefined) => Promise<string | null>;
  readonly logger: Logger;
}

const NOT_SET_UP = 'This Slack workspace is not set up for Switchboard, so I cannot take decisions from it.';
const UNKNOWN_PERSON = 'I could not match your Slack account to an employee of this company, so I cannot record your decision.';
const OTHER_TENANT = 'This approval belongs to a different organisation, so your decision was not recorded.';
const FAILED = 'Sorry, I could not record your decision just now. Please try again in a moment.';

/**
 * Approve/Deny clicks: ack at once, resolve the clicker to a tenant user of the clicking workspace's
 * tenant, and let the ApprovalDecider (which checks eligibility, requester, expiry and once-only)
 * decide. The approver's message is replaced in place; any refusal is shown only to the clicker.
 */
export function registerApprovalActions(app: App, deps: ApprovalActionDeps): void {
  app.action(LINK_ACTION_ID, async ({ ack }) => {
    await ack();
  });

  // The requester's Cancel button in their thread: only the requester (the decider checks) can withdraw.
  app.action(CANCEL_ACTION_ID, async ({ ack, body, client }) => {
    await ack();
    const click = clickSchema.safeParse(body);
    if (!click.success) return;
    const { user, container, actions } = click.data;
    const approvalId = (actions[0] as { value: string }).value;
    const refuse = ephemeralRefusal(client, deps, container.channel_id, user.id);
    try {
      const person = await resolveDecider(deps, click.data, refuse);
      if (!person) return;
      const { tenantId } = person;
      if (!deps.approvals.cancel) return void (await refuse('Cancelling is not available here.'));
      const result = await deps.approvals.cancel({ tenantId, approvalId, requesterUserId: person.userId });
      if (result.status === 'refused') return void (await refuse(escapeMrkdwn(result.message)));
      await client.chat.update({ channel: container.channel_id, ts: container.message_ts, text: 'You cancelled this request.', blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'You cancelled this request.' }] }] });
    } catch (error) {
      deps.logger.error({ err: error, approvalId }, 'slack cancel click failed');
      await refuse('Sorry, I could not cancel the request just now. Please try again in a moment.');
    }
  });

  // "Deny with reason…": a modal asks for an optional reason; the decision is taken on submit.
  app.action(DENY_REASON_ACTION_ID, async ({ ack, body, client }) => {
    await ack();
    const click = clickSchema.safeParse(body);
    const trigger = z.object({ trigger_id: z.string().min(1) }).safeParse(body);
    if (!click.success || !trigger.success) return;
    const { container, actions } = click.data;
    await client.views
      .open({ trigger_id: trigger.data.trigger_id, view: denyReasonModal((actions[0] as { value: string }).value, { channel: container.channel_id, ts: container.message_ts }) })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'slack deny-reason modal could not be opened'));
  });

  app.view(DENY_REASON_CALLBACK_ID, async ({ ack, body, client }) => {
    const submission = reasonSubmissionSchema.safeParse(body);
    const metadata = submission.success ? reasonMetadataSchema.safeParse(JSON.parse(submission.data.view.private_metadata)) : null;
    if (!submission.success || !metadata?.success) {
      await ack({ response_action: 'errors', errors: { reason: 'This form could not be read. Please use the Deny button.' } });
      return;
    }
    const { user } = submission.data;
    const reason = submission.data.view.state.values.reason?.reason?.value?.trim() ?? '';
    const fail = (text: string) => ack({ response_action: 'errors', errors: { reason: text } });
    try {
      const person = await resolveDecider(deps, submission.data, fail);
      if (!person) return;
      const { tenantId } = person;
      const result = await deps.approvals.decide({ tenantId, approvalId: metadata.data.approvalId, deciderUserId: person.userId, decision: 'deny', ...(reason ? { comment: reason } : {}) });
      if (result.status === 'refused') return void (await fail(result.message));
      await ack();
      await updateInPlace(client, deps, tenantId, result.approvalId, { channel_id: metadata.data.channel, message_ts: metadata.data.ts }, result.decision, `<@${user.id}>`, result.decidedAt);
    } catch (error) {
      deps.logger.error({ err: error, approvalId: metadata.data.approvalId }, 'slack deny with reason failed');
      await fail(FAILED).catch(() => undefined);
    }
  });

  app.action(new RegExp(`^(${APPROVE_ACTION_ID}|${DENY_ACTION_ID})$`), async ({ ack, body, client }) => {
    await ack();
    const click = clickSchema.safeParse(body);
    if (!click.success) {
      deps.logger.warn({ issues: click.error.issues.length }, 'slack approval click with unexpected shape ignored');
      return;
    }
    const { user, container, actions } = click.data;
    const action = actions[0] as { action_id: string; value: string };
    const refuse = ephemeralRefusal(client, deps, container.channel_id, user.id);
    try {
      const person = await resolveDecider(deps, click.data, refuse);
      if (!person) return;
      const { tenantId } = person;
      const result = await deps.approvals.decide({
        tenantId,
        approvalId: action.value,
        deciderUserId: person.userId,
        decision: action.action_id === APPROVE_ACTION_ID ? 'approve' : 'deny',
      });
      if (result.status === 'refused') return void (await refuse(escapeMrkdwn(result.message)));
      await updateInPlace(client, deps, tenantId, result.approvalId, container, result.decision, `<@${user.id}>`, result.decidedAt);
    } catch (error) {
      deps.logger.error({ err: error, approvalId: action.value }, 'slack approval click failed');
      await refuse(FAILED);
    }
  });
}

/** Who is acting, as Slack reports it on a click or a modal submission. */
interface SlackActor {
  readonly user: { id: string; team_id?: string | undefined };
  readonly team?: { id: string } | null | undefined;
  readonly enterprise?: { id: string } | null | undefined;
}

/**
 * Resolves the acting Slack user to an employee of the tenant that owns the acting workspace, or
 * tells them why not (through `refuse`) and returns null; a decision is never taken for anyone else.
 */
async function resolveDecider(deps: ApprovalActionDeps, actor: SlackActor, refuse: (text: string) => Promise<unknown>): Promise<{ tenantId: string; userId: string } | null> {
  const teamId = actor.user.team_id ?? actor.team?.id ?? '';
  const enterpriseId = actor.enterprise?.id;
  const tenantId = await deps.tenantFor(teamId, enterpriseId);
  const person = tenantId ? await deps.identity(identityTeamKey(teamId, enterpriseId), actor.user.id) : null;
  if (tenantId && person && person.tenantId === tenantId) return { tenantId, userId: person.userId };
  await refuse(!tenantId ? NOT_SET_UP : !person ? UNKNOWN_PERSON : OTHER_TENANT);
  return null;
}

/** A refusal shown only to the clicker; failing to show it is logged, never thrown. */
function ephemeralRefusal(client: WebClient, deps: ApprovalActionDeps, channel: string, user: string): (text: string) => Promise<unknown> {
  return (text) => client.chat.postEphemeral({ channel, user, text }).catch((error: unknown) => deps.logger.warn({ err: error }, 'slack ephemeral refusal failed'));
}

async function updateInPlace(
  client: WebClient,
  deps: ApprovalActionDeps,
  tenantId: string,
  approvalId: string,
  container: { channel_id: string; message_ts: string },
  decision: 'approved' | 'denied',
  decider: string,
  decidedAt: string,
): Promise<void> {
  const outcome = outcomeText(decision, decider, decidedAt);
  const summary = await deps.messages.summary(tenantId, approvalId);
  await client.chat.update({ channel: container.channel_id, ts: container.message_ts, text: outcome, blocks: approvalDecidedBlocks(summary, outcome) });
}
