/**
 * Text PostgreSQL will store. `text` columns refuse NUL (error 22021) and `jsonb` refuses both the
 * \u0000 escape and a lone UTF-16 surrogate (22P05/22P02), so one such character in a chat message
 * used to fail the run's creation, and every retry failed the same way. Other C0 control characters
 * (except tab, line feed and carriage return) carry no meaning in a chat message and are removed too.
 */

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface CleanedText {
  readonly text: string;
  /** True when anything was removed or replaced. */
  readonly changed: boolean;
}

/** Removes control characters (NUL included) and replaces lone surrogates with U+FFFD. */
export function cleanText(input: string): CleanedText {
  const text = input.replace(UNSTORABLE, '').replace(LONE_SURROGATE, '\uFFFD');
  return { text, changed: text !== input };
}

/** `cleanText` on every string inside a JSON-like value (keys included); other values pass through. */
export function cleanDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanText(value).text;
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cleanDeep(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[cleanText(key).text] = cleanDeep(item, depth + 1);
  return out;
}
