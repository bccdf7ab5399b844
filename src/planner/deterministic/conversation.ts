import type { ConversationTurn } from '../planner.js';
import { isTrusted } from '../../memory/provenance.js';

/** A record the thread talked about recently, newest first. */
export interface Referent {
  readonly id: string;
  readonly system: 'servicenow' | 'jira';
  /** False when the turn that named it is not the requester's own words or Switchboard's trusted answer. */
  readonly trusted: boolean;
}

const RECORD = /\b(INC\d{7}|[A-Z][A-Z0-9]{1,9}-\d+)\b/g;
const HAS_RECORD = /\b(?:INC\d{7}|[A-Z][A-Z0-9]{1,9}-\d+)\b/;

/** How many earlier turns a reference may reach back: "it" means something said just now. */
const LOOKBACK = 6;

export function recentRecords(history: readonly ConversationTurn[]): Referent[] {
  const found: Referent[] = [];
  for (const turn of history.slice(-LOOKBACK).reverse()) {
    // Within a turn the first record named is the one it is about ("Created NET-7, linked to INC…").
    for (const match of turn.content.matchAll(RECORD)) {
      const id = match[1]!;
      if (found.some((r) => r.id === id)) continue;
      found.push({ id, system: id.startsWith('INC') ? 'servicenow' : 'jira', trusted: isTrusted(turn.provenance) });
    }
    if (found.length > 0 && turn.role === 'user') break;
  }
  return found;
}

function newestListing(history: readonly ConversationTurn[]): Referent[] {
  for (const turn of history.slice(-LOOKBACK).reverse()) {
    const ids = [...new Set([...turn.content.matchAll(RECORD)].map((m) => m[1]!))];
    if (ids.length > 0) return ids.map((id) => ({ id, system: id.startsWith('INC') ? 'servicenow' : 'jira', trusted: isTrusted(turn.provenance) }));
  }
  return [];
}

/**
 * Words that point back at a record instead of naming it. Typed references ("the incident", "that
 * Jira issue") pick the newest record of that system; "it"/"that" the newest of any.
 */
const REFERENCE = /\b(?:(?:the\s+)?(first|second|third|last|top)\s+one|its\b|(?:the|that|this)\s+(?:same\s+)?(?:(servicenow|jira)\s+)?(incident|ticket|issue|bug|story|task|one|record)|(?<=\b(?:to|on|in|for|make|close|resolve|assign|move|update|escalate|reopen|with|about|of|set|mark|change|give|take)\s+)(?:that|this)(?!\s+(?:is|was|it|the|my|i|we|you|he|she|they)\b)|\bit\b(?!'s|\s+(?:is|was|keeps|has|does|doesn't|won't|isn't)\b))/i;

export interface Resolution {
  readonly text: string;
  readonly referent: Referent;
}

/** True when the text points at a record without naming one. */
export function hasReference(text: string): boolean {
  return !HAS_RECORD.test(text) && REFERENCE.test(text);
}

/** Replaces the first reference with the record it most plausibly means, or undefined when none fits. */
export function resolveReference(text: string, history: readonly ConversationTurn[]): Resolution | undefined {
  if (HAS_RECORD.test(text)) return undefined;
  const match = REFERENCE.exec(text);
  if (!match) return undefined;
  const records = recentRecords(history);
  const ordinal = match[1]?.toLowerCase();
  if (ordinal) {
    // "the first one" counts in the newest turn that listed records, in the order it listed them.
    const listed = newestListing(history);
    const index = ordinal === 'last' ? listed.length - 1 : ['first', 'second', 'third'].indexOf(ordinal === 'top' ? 'first' : ordinal);
    const referent = listed[index];
    return referent ? { text: `${text.slice(0, match.index)}${referent.id}${text.slice(match.index + match[0].length)}`, referent } : undefined;
  }
  const system = match[2]?.toLowerCase();
  const noun = match[3]?.toLowerCase();
  const wanted = system === 'servicenow' || noun === 'incident' || noun === 'ticket' ? 'servicenow'
    : system === 'jira' || noun === 'issue' || noun === 'bug' || noun === 'story' || noun === 'task' ? 'jira' : undefined;
  const referent = records.find((r) => wanted === undefined || r.system === wanted);
  if (!referent) return undefined;
  return { text: `${text.slice(0, match.index)}${referent.id}${text.slice(match.index + match[0].length)}`, referent };
}
