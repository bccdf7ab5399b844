import type { Attachment } from '@microsoft/agents-activity';
import { actingLine, fieldPreview, type ActionView } from '../../tools/actionView.js';
import { clip, plain, textRun } from './text.js';

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
  /** Every argument and the acting account (absent for requests made before cards carried it). */
  readonly details?: ActionView;
}

export type CardDecision = { readonly decision: 'approved' | 'denied' | 'expired' | 'cancelled'; readonly byName?: string; readonly at?: string };

type CardElement = Record<string, unknown>;

function header(view: ApprovalCardView, title: string): CardElement[] {
  return [
    { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
    // RichTextBlock text runs are never parsed as markdown: names and actions stay text.
    { type: 'RichTextBlock', inlines: [textRun(view.requesterName, { bold: true }), textRun(' asked me to '), textRun(clip(view.action, 300), { bold: true }), textRun('.')] },
    ...(view.details?.actingAs ? [{ type: 'RichTextBlock', inlines: [textRun(`Runs ${actingLine(view.details.actingAs)}`, { subtle: true })] }] : []),
    {
      type: 'FactSet',
      facts: [
        { title: 'Action', value: plain(view.tool) },
        { title: 'Risk', value: plain(view.risk) },
        { title: 'Expires', value: `${view.expiresAt.replace('T', ' ').slice(0, 16)} UTC` },
      ],
    },
    // FactSet values are markdown; the reason may quote a model's justification, so it is a text run.
    { type: 'RichTextBlock', inlines: [textRun('Why: ', { bold: true }), textRun(clip(view.reason, 500))] },
    ...(view.details ? argumentElements(view.approvalId, view.details) : []),
  ];
}

/**
 * Every argument as label and value text runs; long values show a preview and their complete text
 * in a container folded behind "Show details" (Action.ToggleVisibility).
 */
function argumentElements(approvalId: string, details: ActionView): CardElement[] {
  if (details.fields.length === 0) return [];
  const rows: CardElement[] = details.fields.map((field) => ({
    type: 'RichTextBlock',
    inlines: [textRun(`${field.label}: `, { bold: true }), textRun(field.long ? fieldPreview(field.value) : field.value)],
  }));
  const long = details.fields.filter((field) => field.long);
  if (long.length === 0) return rows;
  const containerId = `details-${approvalId}`;
  const items: CardElement[] = [];
  let room = DETAILS_MAX;
  for (const field of long) {
    items.push({ type: 'RichTextBlock', inlines: [textRun(field.label, { bold: true })] });
    items.push({ type: 'RichTextBlock', inlines: [textRun(field.value.length > room ? field.value.slice(0, Math.max(0, room)) : field.value, { multiline: true })] });
    room -= field.value.length;
    if (room < 0) {
      // A Teams message holds about 28 KB: say where the rest is instead of cutting silently.
      items.push({ type: 'TextBlock', text: 'The rest of this text is too long for Teams: open the Switchboard approvals inbox to read it in full before deciding.', wrap: true, weight: 'Bolder' });
      break;
    }
  }
  return [
    ...rows,
    { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 'Show details', targetElements: [containerId] }] },
    { type: 'Container', id: containerId, isVisible: false, items },
  ];
}

/** Characters of complete long values a card carries, leaving room in Teams' message size for the rest. */
const DETAILS_MAX = 16_000;

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
  const body: CardElement[] = [...header(view, 'Approval needed'), { type: 'TextBlock', text: 'Waiting for a decision.', isSubtle: true, wrap: true }];
  // An optional reason, sent with Deny (Action.Execute and the Submit fallback both carry inputs).
  if (options.buttons) body.push({ type: 'Input.Text', id: 'reason', label: 'Reason if you deny (shown to the requester)', isMultiline: true, maxLength: 500, isRequired: false });
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

/** The requester's way out while a request waits: a card with one Cancel button (the server checks who clicks). */
export function cancelRequestCard(approvalId: string): Attachment {
  return card([{ type: 'TextBlock', text: 'Changed your mind? You can cancel this request while it waits for a decision.', wrap: true }], {
    actions: [{ type: 'Action.Execute', title: 'Cancel request', verb: 'cancel', data: { marker: APPROVAL_MARKER, verb: 'cancel', approvalId }, fallback: { type: 'Action.Submit', title: 'Cancel request', data: { marker: APPROVAL_MARKER, verb: 'cancel', approvalId } } }],
  });
}

/** The read-only card once the request is settled; it replaces the buttons for everyone. */
export function decidedCard(view: ApprovalCardView, outcome: CardDecision): Attachment {
  const by = outcome.byName ? ` by ${plain(outcome.byName)}` : '';
  const at = outcome.at ? ` at ${outcome.at.replace('T', ' ').slice(0, 16)} UTC` : '';
  const line = outcome.decision === 'expired' ? 'This request expired without a decision.' : outcome.decision === 'cancelled' ? '🚫 Cancelled by the requester; there is nothing to decide.' : `${outcome.decision === 'approved' ? '✅ Approved' : '⛔ Denied'}${by}${at}.`;
  return card([...header(view, 'Approval request'), { type: 'TextBlock', text: line, weight: 'Bolder', wrap: true }]);
}
