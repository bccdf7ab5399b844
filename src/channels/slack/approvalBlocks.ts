import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from './mrkdwn.js';

export const APPROVE_ACTION_ID = 'switchboard_approve';
export const DENY_ACTION_ID = 'switchboard_deny';
export const LINK_ACTION_ID = 'switchboard_link_account';

export interface ApprovalSummary {
  readonly approvalId: string;
  readonly requesterName: string;
  readonly requesterEmail: string;
  readonly action: string;
  readonly tool: string;
  readonly risk: string;
  readonly reason: string;
  readonly expiresAt: string;
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
      text: { type: 'mrkdwn', text: `*${escapeMrkdwn(summary.requesterName)}* (${escapeMrkdwn(summary.requesterEmail)}) asks Switchboard to *${escapeMrkdwn(summary.action)}*.` },
      fields: [
        { type: 'mrkdwn', text: `*Action*\n\`${escapeMrkdwn(summary.tool)}\`` },
        { type: 'mrkdwn', text: `*Risk*\n${escapeMrkdwn(summary.risk)}` },
        { type: 'mrkdwn', text: `*Expires*\n${slackDate(summary.expiresAt)}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Why it needs approval*\n${escapeMrkdwn(summary.reason)}` } },
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
            text: { type: 'mrkdwn', text: `Switchboard will ${escapeMrkdwn(summary.action)} for ${escapeMrkdwn(summary.requesterName)} right away.`.slice(0, 300) },
            confirm: { type: 'plain_text', text: 'Approve' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
        { type: 'button', action_id: DENY_ACTION_ID, text: { type: 'plain_text', text: 'Deny' }, style: 'danger', value: summary.approvalId },
      ],
    },
  ];
}

export function approvalRequestText(summary: ApprovalSummary): string {
  return `Approval needed: ${escapeMrkdwn(summary.requesterName)} asks to ${escapeMrkdwn(summary.action)}.`;
}

/** The same DM after the decision: buttons gone, outcome and decider in their place. */
export function approvalDecidedBlocks(summary: ApprovalSummary | null, outcome: string): KnownBlock[] {
  const head: KnownBlock[] = summary ? summaryBlocks(summary) : [];
  return [...head, { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] }];
}

export function outcomeText(decision: 'approved' | 'denied' | 'expired', decider: string | null, atIso: string): string {
  if (decision === 'expired') return `:hourglass: This request expired ${slackDate(atIso)}.`;
  const by = decider ?? 'an approver';
  return decision === 'approved' ? `:white_check_mark: Approved by ${by} at ${slackDate(atIso)}` : `:no_entry: Denied by ${by} at ${slackDate(atIso)}`;
}

export function linkAccountBlocks(connectorName: string, url: string): KnownBlock[] {
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `To do this as you, I need access to your *${escapeMrkdwn(connectorName)}* account. Connect it and I will continue where I stopped.` },
    },
    {
      type: 'actions',
      elements: [{ type: 'button', action_id: LINK_ACTION_ID, text: { type: 'plain_text', text: `Connect ${connectorName}`.slice(0, 75) }, style: 'primary', url }],
    },
  ];
}
