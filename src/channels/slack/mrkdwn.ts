/**
 * Text that came from connectors, models or people goes into Slack only through here: `&`, `<` and
 * `>` are the three characters Slack's formatting treats as control (links, mentions, @channel).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
