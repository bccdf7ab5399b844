import type { KnownBlock, MrkdwnElement } from '@slack/types';
import { actingLine, fieldPreview, type ActionView } from '../../tools/actionView.js';
import { inertText } from '../../core/inertText.js';
import { inlineMrkdwn, SLACK_LIMITS, splitForSlack } from './mrkdwn.js';

/** Section `fields` allow 10 entries of 2000 characters each. */
const FIELDS_PER_SECTION = 10;
/** Blocks left for the arguments once the card's own header, facts and buttons are counted. */
export const ARGUMENT_BLOCK_BUDGET = SLACK_LIMITS.blocks - 10;

/** "Runs as ada@acme.test in Okta": whose account the approver is about to let act. */
export function actingBlock(view: ActionView): KnownBlock[] {
  if (!view.actingAs) return [];
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: `:bust_in_silhouette: Runs ${inlineMrkdwn(actingLine(view.actingAs))}` }] }];
}

/**
 * Every argument of the action. Short values sit in section fields; long ones show a one-line
 * preview there and their complete text below under "Show details", as plain_text (Slack never
 * formats, links or mentions inside plain_text), split across sections as Slack's limits require.
 */
export function argumentBlocks(view: ActionView, budget = ARGUMENT_BLOCK_BUDGET): KnownBlock[] {
  if (view.fields.length === 0) return [];
  const blocks: KnownBlock[] = [];
  const cells: MrkdwnElement[] = view.fields.map((field) => ({
    type: 'mrkdwn',
    text: `*${inlineMrkdwn(field.label)}*\n${inlineMrkdwn(field.long ? fieldPreview(field.value) : field.value)}`.slice(0, 2000),
  }));
  for (let i = 0; i < cells.length; i += FIELDS_PER_SECTION) blocks.push({ type: 'section', fields: cells.slice(i, i + FIELDS_PER_SECTION) });
  const long = view.fields.filter((field) => field.long);
  if (long.length === 0) return blocks;
  const details: KnownBlock[] = [{ type: 'context', elements: [{ type: 'mrkdwn', text: '*Show details:* the complete text of each long value' }] }];
  for (const field of long) {
    details.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `*${inlineMrkdwn(field.label)}*` }] });
    for (const piece of splitForSlack(inertText(field.value), SLACK_LIMITS.sectionText)) {
      details.push({ type: 'section', text: { type: 'plain_text', text: piece, emoji: false } });
    }
  }
  const room = budget - blocks.length;
  if (details.length <= room) return [...blocks, ...details];
  // Past Slack's block limit the rest cannot be shown here; say where the whole request is instead of cutting silently.
  return [
    ...blocks,
    ...details.slice(0, Math.max(0, room - 1)),
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'The rest of this text is too long for Slack: open the Switchboard approvals inbox to read it in full before deciding.' }] },
  ];
}
