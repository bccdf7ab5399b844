import { inertText, oneLine } from '../../core/inertText.js';

/**
 * Slack has no backslash escape: formatting characters in data are swapped for their fullwidth
 * look-alikes, so `*Approved*` in a ticket title stays text instead of faking bold card labels.
 */
const FORMATTING: Readonly<Record<string, string>> = { '*': '\uFF0A', _: '\uFF3F', '~': '\uFF5E', '`': '\uFF40' };

function entities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text that came from connectors, models or people goes into Slack mrkdwn only through here:
 * `&<>` become entities (links, mentions, @channel), formatting characters and line-leading `>`
 * quotes become look-alikes, links are defanged and control characters dropped. Line breaks stay;
 * use `inlineMrkdwn` where a value must stay on one line.
 */
export function escapeMrkdwn(text: string): string {
  return entities(inertText(text))
    .replace(/[*_~`]/g, (ch) => FORMATTING[ch] ?? ch)
    .replace(/^(\s*)&gt;/gm, '$1\uFF1E');
}

/** escapeMrkdwn on one line: an argument cannot start lines that look like further card fields. */
export function inlineMrkdwn(text: string): string {
  return escapeMrkdwn(oneLine(text));
}

/** Inside a `code span` only a backtick ends the span, so identifiers keep their underscores. */
export function codeMrkdwn(text: string): string {
  return entities(oneLine(inertText(text))).replace(/`/g, '\uFF40');
}

/**
 * For `markdown_text` (streamed answers): the answer keeps its emphasis and lists, but no link,
 * autolink, mention or raw markup from data or from the model survives as anything but text.
 */
export function inertMarkdown(text: string): string {
  return entities(inertText(text)).replace(/\[/g, '\uFF3B').replace(/\]/g, '\uFF3D');
}

/** Slack limits, from the Block Kit and chat.* references. */
export const SLACK_LIMITS = {
  /** section block text */
  sectionText: 3000,
  /** markdown_text per streaming call */
  streamMarkdown: 12_000,
  /** plain_text button label */
  buttonText: 75,
  /** a message's top-level text; longer is truncated by Slack */
  messageText: 40_000,
  /** blocks per message */
  blocks: 50,
} as const;

/**
 * Splits text into pieces of at most `limit` characters, preferring paragraph, then line, then word
 * boundaries, and never cutting an escape entity such as `&amp;` in half.
 */
export function splitForSlack(text: string, limit: number): string[] {
  if (limit < 16) throw new RangeError('limit too small to split safely');
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'));
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) cut = limit;
    const entityStart = window.lastIndexOf('&', cut - 1);
    if (entityStart >= 0 && entityStart > cut - 6 && !window.slice(entityStart, cut).includes(';')) cut = entityStart;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}
