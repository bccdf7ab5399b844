import { quoteData } from '../../src/tools/outputSummary.js';

/**
 * Pieces for a tool's `summarize` sentence. Anything an API returned goes through `quoteData`
 * (quoted, one line, no markup, shortened); these helpers only ever print text we wrote ourselves
 * or values they have checked (a date, a number).
 */
export { quoteData };

/** Ends with a full stop unless the text already ends a sentence, also inside a closing quote (“Done.”). */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]”?$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** "2 factors", "1 factor". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The YYYY-MM-DD day of an API date or timestamp, or undefined when it is not one: raw text is never echoed. */
export function day(value: string | null | undefined): string | undefined {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value) : null;
  if (!match) return undefined;
  const [, y, m, d] = match;
  const parsed = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return Number.isNaN(parsed.getTime()) || parsed.getUTCDate() !== Number(d) ? undefined : `${y}-${m}-${d}`;
}

/** How long a summary sentence may grow before optional details are left out. */
export const MAX_SENTENCE = 160;

/** An optional detail: text, nothing, or a function told how many characters are left for it. */
export type Clause = string | undefined | ((room: number) => string | undefined);

/**
 * `core` (always kept) followed by each optional clause that still fits within MAX_SENTENCE, as one
 * sentence: a long record name costs the employee a detail, never the point of the sentence.
 */
export function fit(core: string, ...clauses: readonly Clause[]): string {
  let text = core.trim();
  for (const clause of clauses) {
    const room = MAX_SENTENCE - 1 - text.length;
    const piece = typeof clause === 'function' ? clause(room) : clause;
    if (piece && piece.length <= room) text += piece;
  }
  return sentence(text);
}

/** `prefix` and the quoted value, shortened to the room left; nothing when less than `min` characters of it would show. */
export function quotedIn(prefix: string, value: string, room: number, min = 12): string | undefined {
  const max = room - prefix.length - 2;
  return max >= min ? `${prefix}${quoteData(value, max)}` : undefined;
}
