/** Normalises chat text: Slack/Teams mentions and markup removed, whitespace collapsed, trailing punctuation dropped. */
export function normalizeRequest(text: string): string {
  return text
    .replace(/<@[^>]+>/g, ' ')
    .replace(/[*_`~]/g, '')
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?]+$/, '')
    .trim();
}

export const INCIDENT_NUMBER = /\b(INC\d{7})\b/i;
export const JIRA_KEY = /\b([A-Z][A-Z0-9]{1,9}-\d+)\b/;

export function incidentNumber(text: string): string | undefined {
  return INCIDENT_NUMBER.exec(text)?.[1]?.toUpperCase();
}

export function jiraKey(text: string): string | undefined {
  const match = JIRA_KEY.exec(text.replace(INCIDENT_NUMBER, ''));
  return match?.[1];
}

/** A quoted span ("…" or '…'), the most reliable way employees mark free text. */
export function quoted(text: string): string | undefined {
  const match = /"([^"]{1,500})"/.exec(text) ?? /(?:^|\s)'([^']{2,500})'(?:\s|$)/.exec(text);
  return match?.[1]?.trim();
}

/** Cleans an extracted phrase: trims filler words at the ends and surrounding punctuation. */
export function cleanPhrase(phrase: string | undefined): string | undefined {
  if (!phrase) return undefined;
  const cleaned = phrase
    .replace(/^[\s:,-]+|[\s:,.-]+$/g, '')
    .replace(/^(the|a|an|some)\s+/i, '')
    .replace(/\s+(please|pls|thanks|thank you|asap)$/i, '')
    .trim();
  // A lone determiner ("find an account") is not a value.
  return cleaned.length > 0 && !/^(a|an|the|some|any|my|one|it|this|that)$/i.test(cleaned) ? cleaned : undefined;
}

/** Sentence-case for titles and summaries made from a phrase. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Splits a compound request on "and" / "then" / "also" between clauses. Callers only accept the
 * split when every clause is understood on its own, so "accounts and opportunities" stays whole.
 */
export function splitClauses(text: string): string[] {
  return text
    .split(/\s*(?:,\s*)?\b(?:and then|and also|and|then|also|plus)\b\s+|;\s*/i)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
