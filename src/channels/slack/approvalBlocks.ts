import type { KnownBlock, ModalView } from '@slack/types';
import type { ActionView } from '../../tools/actionView.js';
import { actingBlock, argumentBlocks } from './actionViewBlocks.js';
import { codeMrkdwn, escapeMrkdwn, inlineMrkdwn } from './mrkdwn.js';

export const APPROVE_ACTION_ID = 'switchboard_approve';
export const DENY_ACTION_ID = 'switchboard_deny';
/** Opens a modal for an optional reason, shown to the requester with the denial. */
export const DENY_REASON_ACTION_ID = 'switchboard_deny_reason';
export const DENY_REASON_CALLBACK_ID = 'switchboard_deny_reason_modal';

/** The deny-with-reason modal; private_metadata carries the approval and the DM to update. */
export function denyReasonModal(approvalId: string, message: { channel: string; ts: string }): ModalView {
  return {
    type: 'modal',
    callback_id: DENY_REASON_CALLBACK_ID,
    private_metadata: JSON.stringify({ approvalId, channel: message.channel, ts: message.ts }),
    title: { type: 'plain_text', text: 'Deny request' },
    submit: { type: 'plain_text', text: 'Deny' },
    close: { type: 'plain_text', text: 'Back' },
    blocks: [{
      type: 'input', block_id: 'reason', optional: true,
      label: { type: 'plain_text', text: 'Reason (shown to the requester)' },
      element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 500 },
    }],
  };
}
export const LINK_ACTION_ID = 'switchboard_link_account';
export const CANCEL_ACTION_ID = 'switchboard_cancel_request';

/** The requester's way out while a request waits (issue 12: cancel a waiting request). */
export function cancelRequestBlocks(approvalId: string): KnownBlock[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: 'Changed your mind? You can cancel this request while it waits for a decision.' } },
    {
      type: 'actions',
      block_id: `cancel:${approvalId}`.slice(0, 255),
      elements: [{
        type: 'button', action_id: CANCEL_ACTION_ID, text: { type: 'plain_text', text: 'Cancel request' }, value: approvalId,
        confirm: { title: { type: 'plain_text', text: 'Cancel this request?' }, text: { type: 'mrkdwn', text: 'Nothing will be done and the approvers will see that you cancelled it.' }, confirm: { type: 'plain_text', text: 'Cancel request' }, deny: { type: 'plain_text', text: 'Keep waiting' } },
      }],
    },
  ];
}

export interface ApprovalSummary {
  readonly approvalId: string;
  readonly requesterName: string;
  readonly requesterEmail: string;
  readonly action: string;
  readonly tool: string;
  readonly risk: string;
  readonly reason: string;
  readonly expiresAt: string;
  /** Every argument and the acting account (absent for requests made before cards carried it). */
  readonly view?: ActionView;
}

/** Slack renders <!date^…> in each reader's own time zone; the fallback text is for old clients. */
export function slackDate(iso: string): string {
  const seconds = Math.floor(new Date(iso).getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} at {time}|${escapeMrkdwn(iso)}>`;
}

function summaryBlocks(summary: ApprovalSummary): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: 'Approval needed' } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${inlineMrkdwn(summary.requesterName)}* (${inlineMrkdwn(summary.requesterEmail)}) asks Switchboard to *${inlineMrkdwn(summary.action)}*.` },
      fields: [
        { type: 'mrkdwn', text: `*Action*\n\`${codeMrkdwn(summary.tool)}\`` },
        { type: 'mrkdwn', text: `*Risk*\n${inlineMrkdwn(summary.risk)}` },
        { type: 'mrkdwn', text: `*Expires*\n${slackDate(summary.expiresAt)}` },
      ],
    },
    ...(summary.view ? [...actingBlock(summary.view), ...argumentBlocks(summary.view)] : []),
    { type: 'section', text: { type: 'mrkdwn', text: `*Why it needs approval*\n${escapeMrkdwn(summary.reason).slice(0, 2900)}` } },
  ];
}

/** The approver's DM: who, what, why, and two buttons whose value is only the opaque approval id. */
export function approvalRequestBlocks(summary: ApprovalSummary): KnownBlock[] {
  return [
    ...summaryBlocks(summary),
    {
      type: 'actions',
      block_id: `approval:${summary.approvalId}`,
      elements: [
        {
          type: 'button',
          action_id: APPROVE_ACTION_ID,
          text: { type: 'plain_text', text: 'Approve' },
          style: 'primary',
          value: summary.approvalId,
          confirm: {
            title: { type: 'plain_text', text: 'Approve this request?' },
            text: { type: 'mrkdwn', text: `Switchboard will ${inlineMrkdwn(clipped(summary.action, 180))} for ${inlineMrkdwn(clipped(summary.requesterName, 60))} right away.` },
            confirm: { type: 'plain_text', text: 'Approve' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
        { type: 'button', action_id: DENY_ACTION_ID, text: { type: 'plain_text', text: 'Deny' }, style: 'danger', value: summary.approvalId },
        { type: 'button', action_id: DENY_REASON_ACTION_ID, text: { type: 'plain_text', text: 'Deny with reason…' }, value: summary.approvalId },
      ],
    },
  ];
}

export function approvalRequestText(summary: ApprovalSummary): string {
  return `Approval needed: ${inlineMrkdwn(summary.requesterName)} asks to ${inlineMrkdwn(summary.action)}.`;
}

/** Shortened before escaping, so an entity such as `&amp;` is never cut in half. */
function clipped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The same DM after the decision: buttons gone, outcome and decider in their place. */
export function approvalDecidedBlocks(summary: ApprovalSummary | null, outcome: string): KnownBlock[] {
  const head: KnownBlock[] = summary ? summaryBlocks(summary) : [];
  return [...head, { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] }];
}

export function outcomeText(decision: 'approved' | 'denied' | 'expired' | 'cancelled', decider: string | null, atIso: string): string {
  if (decision === 'expired') return `:hourglass: This request expired ${slackDate(atIso)}.`;
  if (decision === 'cancelled') return `:no_entry_sign: Cancelled by the requester ${slackDate(atIso)}; there is nothing to decide.`;
  const by = decider ?? 'an approver';
  return decision === 'approved' ? `:white_check_mark: Approved by ${by} at ${slackDate(atIso)}` : `:no_entry: Denied by ${by} at ${slackDate(atIso)}`;
}

export function linkAccountBlocks(connectorName: string, url: string): KnownBlock[] {
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `To do this as you, I need access to your *${inlineMrkdwn(connectorName)}* account. Connect it and I will continue where I stopped.` },
    },
    {
      type: 'actions',
      elements: [{ type: 'button', action_id: LINK_ACTION_ID, text: { type: 'plain_text', text: `Connect ${connectorName}`.slice(0, 75) }, style: 'primary', url }],
    },
  ];
}
