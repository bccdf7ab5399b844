import type { Attachment } from '@microsoft/agents-activity';
import { clip, plain } from './text.js';

export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Marks our Action.Submit payloads among other message values. */
export const APPROVAL_MARKER = 'switchboard.approval';

export interface ApprovalCardView {
  readonly approvalId: string;
  readonly action: string;
  readonly tool: string;
  readonly risk: string;
  readonly reason: string;
  readonly requesterName: string;
  readonly expiresAt: string;
}

export type CardDecision = { readonly decision: 'approved' | 'denied' | 'expired'; readonly byName?: string; readonly at?: string };

type CardElement = Record<string, unknown>;

function header(view: ApprovalCardView, title: string): CardElement[] {
  return [
    { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: `${plain(view.requesterName)} asked me to ${plain(clip(view.action, 300))}.`, wrap: true },
    {
      type: 'FactSet',
      facts: [
        { title: 'Action', value: plain(view.tool) },
        { title: 'Risk', value: plain(view.risk) },
        { title: 'Why', value: plain(clip(view.reason, 500)) },
        { title: 'Expires', value: `${view.expiresAt.replace('T', ' ').slice(0, 16)} UTC` },
      ],
    },
  ];
}

function button(view: ApprovalCardView, verb: 'approve' | 'deny'): CardElement {
  const title = verb === 'approve' ? 'Approve' : 'Deny';
  const data = { marker: APPROVAL_MARKER, verb, approvalId: view.approvalId };
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    style: verb === 'approve' ? 'positive' : 'destructive',
    // Clients without Universal Actions post a message activity carrying `data` instead.
    fallback: { type: 'Action.Submit', title, data },
  };
}

function card(body: CardElement[], extra: CardElement = {}): Attachment {
  return {
    contentType: ADAPTIVE_CARD_TYPE,
    content: { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, ...extra },
  };
}

/**
 * The pending card. `refresh.userIds` lists the approvers (Teams MRIs): their clients fetch their
 * own view (with buttons) through a `refresh` invoke; anyone else sees the card as sent, which has
 * buttons only when every viewer is an approver (a 1:1 chat with one).
 */
export function pendingCard(view: ApprovalCardView, options: { buttons: boolean; refreshUserIds: readonly string[] }): Attachment {
  const body = [...header(view, 'Approval needed'), { type: 'TextBlock', text: 'Waiting for a decision.', isSubtle: true, wrap: true }];
  return card(body, {
    ...(options.buttons ? { actions: [button(view, 'approve'), button(view, 'deny')] } : {}),
    ...(options.refreshUserIds.length > 0
      ? {
          refresh: {
            action: { type: 'Action.Execute', title: 'Refresh', verb: 'refresh', data: { marker: APPROVAL_MARKER, verb: 'refresh', approvalId: view.approvalId } },
            userIds: options.refreshUserIds.slice(0, 60),
          },
        }
      : {}),
  });
}

/** The read-only card once the request is settled; it replaces the buttons for everyone. */
export function decidedCard(view: ApprovalCardView, outcome: CardDecision): Attachment {
  const by = outcome.byName ? ` by ${plain(outcome.byName)}` : '';
  const at = outcome.at ? ` at ${outcome.at.replace('T', ' ').slice(0, 16)} UTC` : '';
  const line = outcome.decision === 'expired' ? 'This request expired without a decision.' : `${outcome.decision === 'approved' ? '✅ Approved' : '⛔ Denied'}${by}${at}.`;
  return card([...header(view, 'Approval request'), { type: 'TextBlock', text: line, weight: 'Bolder', wrap: true }]);
}
