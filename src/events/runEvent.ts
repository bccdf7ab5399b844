import type { RiskTier } from '../tools/tool.js';
import type { ActionView } from '../tools/actionView.js';
import type { JsonObject } from '../core/json.js';
import type { ChannelKind } from '../gateway/turn.js';

export type RunStatus =
  | 'queued' | 'planning' | 'executing' | 'awaiting_approval' | 'awaiting_link' | 'responding'
  | 'completed' | 'failed' | 'cancelled' | 'budget_exceeded';

export type StepStatus =
  | 'pending' | 'running' | 'awaiting_approval' | 'awaiting_link' | 'succeeded' | 'failed' | 'skipped' | 'unverified' | 'denied';

export interface PlanView {
  readonly summary?: string;
  readonly steps: readonly { readonly id: string; readonly title: string; readonly tool: string; readonly status: StepStatus }[];
}

/** Where the answer goes: the channel and its opaque address (Slack channel + thread_ts, Teams conversation reference, web thread). */
export interface ReplyTarget {
  readonly channel: ChannelKind;
  readonly address: JsonObject;
}

export interface ApproverRef {
  readonly userId: string;
  readonly displayName: string;
  readonly email: string;
}

interface EventBase {
  readonly runId: string;
  readonly tenantId: string;
  readonly conversationId: string;
  /** The tenant user who asked. */
  readonly userId: string;
  readonly reply: ReplyTarget;
  /** Monotonic per run; lets renderers drop stale or repeated events. */
  readonly seq: number;
  readonly at: string;
}

/** What an approval card shows, the same whether the approvers are asked first or again on escalation. */
export interface ApprovalAsk {
  readonly approvalId: string;
  readonly stepId: string;
  readonly tool: string;
  readonly action: string;
  readonly risk: RiskTier;
  readonly reason: string;
  readonly requester: ApproverRef;
  /** Everyone who may decide now. */
  readonly approvers: readonly ApproverRef[];
  readonly expiresAt: string;
  /** Every argument and the acting account, built once for every surface's card (absent on older events). */
  readonly view?: ActionView;
}

export type RunEventBody =
  | { readonly type: 'run.started'; readonly text: string }
  | { readonly type: 'run.status'; readonly status: RunStatus; readonly note?: string }
  | { readonly type: 'plan.created'; readonly plan: PlanView; readonly tier: string }
  | { readonly type: 'step.started'; readonly stepId: string; readonly title: string }
  | { readonly type: 'step.finished'; readonly stepId: string; readonly title: string; readonly summary: string }
  | { readonly type: 'step.failed'; readonly stepId: string; readonly title: string; readonly error: { readonly code: string; readonly message: string } }
  | ({ readonly type: 'approval.requested' } & ApprovalAsk)
  | {
      readonly type: 'approval.decided';
      readonly approvalId: string;
      readonly decision: 'approved' | 'denied' | 'expired' | 'cancelled';
      /** The approver's reason for a denial, shown to the requester. */
      readonly reason?: string;
      /** When the decision was recorded (the event's own `at` is when it was emitted). */
      readonly decidedAt?: string;
      readonly decidedBy?: ApproverRef;
      readonly action: string;
    }
  | {
      /** The approval policy's reminder: the approvers who have not decided yet are nudged once. */
      readonly type: 'approval.reminder';
      readonly approvalId: string;
      readonly action: string;
      readonly approvers: readonly ApproverRef[];
      readonly expiresAt: string;
    }
  | ({
      /** Still undecided after the policy's delay: `added` (a fallback group) are asked too. */
      readonly type: 'approval.escalated';
      readonly added: readonly ApproverRef[];
    } & ApprovalAsk)
  | { readonly type: 'account.link_required'; readonly connectorId: string; readonly connectorName: string; readonly url: string }
  | { readonly type: 'account.linked'; readonly connectorId: string }
  | { readonly type: 'message.delta'; readonly text: string }
  | { readonly type: 'run.completed'; readonly text: string; readonly reducedMode?: boolean }
  | { readonly type: 'run.failed'; readonly code: string; readonly message: string };

export type RunEvent = EventBase & RunEventBody;
export type RunEventType = RunEvent['type'];
