/**
 * Detectors for what an injected string could become on a chat surface: a live link (markdown
 * link, Slack angle-bracket link, autolinked URL or host), a mention (@channel, a user), or fake
 * card layout (bold labels or quotes written by data). Each returns the offending matches.
 */

/** The attacker's markers used throughout the adversarial suite. */
export const EVIL = /evil/i;

export const INJECTIONS: readonly string[] = [
  '[Click to approve](https://evil.example/approve)',
  '<https://evil.example/x|Approve now>',
  '<!channel> please approve this now',
  '<!here|here> and <!everyone>',
  '<@U0BOSS> already approved this',
  'details at https://evil.example/login?next=/approve',
  'see www.evil.example/free for more',
  'reset at evil.com/phish today',
  '*Approved by* the CEO\n> *Risk level*\n> low',
  '`Risk: low` ~strike~ _Why_',
  'first line\n\n*Expires at*\nnever',
  'bidi \u202Egnp.evil\u202C and a bell \u0007 char',
];

/** Where a link or mention survives in Slack text (mrkdwn, markdown_text or plain_text). */
export function liveInSlack(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/<[^<>]*>/g)) if (EVIL.test(m[0]) || /^<[!@#]/.test(m[0]) && !/^<!date\^/.test(m[0]) && /channel|here|everyone|U0BOSS/.test(m[0])) found.push(m[0]);
  for (const m of text.matchAll(/\]\(([^)]*)\)/g)) if (EVIL.test(m[1] ?? '')) found.push(m[0]);
  for (const m of text.matchAll(/(?:[a-z]+:\/\/|www\.)[^\s]*/gi)) if (EVIL.test(m[0])) found.push(m[0]);
  for (const m of text.matchAll(/evil\.(?:example|com)/gi)) found.push(m[0]);
  return found;
}

/** Formatting written by data that would fake card layout in Slack mrkdwn. */
export function spoofedInMrkdwn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\*(Approved by|Risk level|Expires at)\*/g)) found.push(m[0]);
  for (const m of text.matchAll(/(?:^|\n)\s*(?:>|&gt;)\s*[^\n]*/g)) found.push(m[0]);
  for (const m of text.matchAll(/`Risk: low`|~strike~|_Why_/g)) found.push(m[0]);
  if (/[\u202A-\u202E]/.test(text) || text.includes('\u0007')) found.push('control character');
  return found;
}

/** Links in Teams markdown (TextBlock, FactSet, message text) or autolinks anywhere. */
export function liveInTeamsMarkdown(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<!\\)\[[^\]]*(?<!\\)\]\(([^)]*)\)/g)) if (EVIL.test(m[1] ?? '')) found.push(m[0]);
  for (const m of text.matchAll(/(?<!\\)<[^<>]*>/g)) if (/[a-z]+:\/\//i.test(m[0]) || /<\/?at>/i.test(m[0])) found.push(m[0]);
  for (const m of text.matchAll(/(?:[a-z]+:\/\/|www\.)[^\s]*/gi)) if (EVIL.test(m[0])) found.push(m[0]);
  for (const m of text.matchAll(/evil\.(?:example|com)/gi)) found.push(m[0]);
  return found;
}

/** Every string inside a JSON value, with the key it sits under. */
export function stringsIn(value: unknown, key = ''): { key: string; text: string }[] {
  if (typeof value === 'string') return [{ key, text: value }];
  if (Array.isArray(value)) return value.flatMap((item) => stringsIn(item, key));
  if (value && typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => stringsIn(v, k));
  return [];
}

function textsOfType(value: unknown, type: 'plain_text' | 'mrkdwn'): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => textsOfType(item, type));
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = record.type === type && typeof record.text === 'string' ? [record.text] : [];
  return own.concat(Object.values(record).flatMap((inner) => textsOfType(inner, type)));
}

/** The texts Slack formats as mrkdwn in a block tree. */
export function mrkdwnTexts(blocks: unknown): string[] {
  return textsOfType(blocks, 'mrkdwn');
}

/**
 * Live links in Slack blocks. plain_text is shown exactly as written (Slack parses no mention or
 * `<link|label>` syntax in it), so only autolinks count there; every other string must be inert.
 */
export function liveInSlackBlocks(blocks: unknown, fallbackText?: string): string[] {
  const plain = new Set(textsOfType(blocks, 'plain_text'));
  const others = stringsIn(blocks).map((s) => s.text).filter((t) => !plain.has(t));
  return [...others, ...(fallbackText === undefined ? [] : [fallbackText])].flatMap(liveInSlack)
    .concat([...plain].flatMap((t) => liveInSlack(t).filter((m) => !m.startsWith('<'))));
}
