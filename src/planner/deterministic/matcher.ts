import type { JsonObject } from '../../core/json.js';
import type { ConversationTurn, ToolSummary } from '../planner.js';
import { NEEDS_REASONING, mentionedConnectors } from '../connectorMentions.js';
import { hasReference, resolveReference, type Referent } from './conversation.js';
import { guard, topicGuard } from './guards.js';
import { INTENTS } from './intents/index.js';
import { normalizeRequest, splitClauses } from './text.js';
import { repairTypos } from './typos.js';
import type { Intent, SlotEnv } from './types.js';

export interface MatchedStep {
  readonly intent: string;
  /** Full tool name as the tenant's registry exposes it. */
  readonly tool: string;
  readonly args: JsonObject;
  readonly title: string;
}

export type MatchResult =
  | { readonly kind: 'plan'; readonly steps: readonly MatchedStep[]; readonly referent?: Referent }
  | { readonly kind: 'clarify'; readonly question: string; readonly intent: string }
  /** A reply instead of a plan: help, a refusal, or an honest "no tool can do that". */
  | { readonly kind: 'answer'; readonly text: string; readonly intent: string }
  | { readonly kind: 'none' };

/** Verbs that ask for a change: a read-only intent must never stand in for them. */
const WRITE_VERB = /\b(assign|reassign|make|set|change|bump|raise|lower|escalate|(?<!\b(?:any|an|no|the|latest|for|an?)\s)update(?!s|\s+on\b)|edit|rename|close|cancel|delete|remove|reopen|re-open|reassign|merge|archive|approve|reject|increase|decrease|upgrade|downgrade)\b/i;
/** Verbs that act on a record: with a bare "it" and no record in the thread, ask which one. */
const ACTION_VERB = /\b(make|set|change|bump|escalate|update|close|resolve|reopen|assign|move|transition|mark|comment|add|cancel|delete|start|finish)\b/i;
/** Conditions, schedules and cross-record reasoning: a model tier's job, whatever the verbs. */
const NEEDS_MODEL = /\bif\b|\bunless\b|\b(related to|linked to|depends? on|tomorrow|next week|every (?:day|week|morning)|whenever|remind me|last (?:quarter|month|week|year)|this (?:quarter|month|year)|yesterday|since (?:monday|tuesday|wednesday|thursday|friday|january|last))\b/i;
/** A system named outright; a clause naming another system than the intent's is not tier 0's to guess. */
const NAMED_SYSTEM: Readonly<Record<string, RegExp>> = {
  servicenow: /\b(servicenow|service now|snow|INC\d{7})\b/i,
  jira: /\bjira\b/i,
  salesforce: /\b(salesforce|sfdc)\b/i,
  okta: /\bokta\b/i,
};
const READ_INTENTS = new Set(['servicenow.get_incident', 'jira.get_issue']);

/** Finds the tenant's tool for an intent: `<instance>_<local>`, preferring the connector kind's own instance. */
export function resolveTool(intent: Intent, tools: readonly ToolSummary[]): ToolSummary | undefined {
  const suffix = `_${intent.tool}`;
  const candidates = tools.filter((t) => t.name.endsWith(suffix) && (t.connectorKind === intent.connector || t.name.startsWith(`${intent.connector}_`)));
  return candidates.find((t) => t.name === `${intent.connector}${suffix}`) ?? candidates[0];
}

function detect(clause: string, tools: readonly ToolSummary[]): { intent: Intent; tool: ToolSummary } | undefined {
  // Tier 0 is only confident about one plain action on one connector per clause.
  if (NEEDS_REASONING.test(clause)) return undefined;
  // "access to Jira" names an app to request, not a system to act in.
  const unTargeted = clause.replace(/\baccess\s+to\s+(?:the\s+)?\w+|\b\w+\s+access\b(?!\s+to\b)/gi, ' ');
  const mentioned = mentionedConnectors(unTargeted, tools);
  const named = Object.keys(NAMED_SYSTEM).filter((kind) => NAMED_SYSTEM[kind]!.test(unTargeted));
  if (named.length > 1) return undefined;
  for (const intent of INTENTS) {
    // A system named outright decides; otherwise words that suggest another system ("customer",
    // "account") veto an intent unless its own system is suggested too ("SSO … file a bug").
    // A "how do I …" question is for the knowledge base whichever system it is about.
    if (intent.id !== 'servicenow.search_knowledge' && (named.length > 0 ? !named.includes(intent.connector) : mentioned.some((kind) => kind !== intent.connector) && !mentioned.includes(intent.connector))) continue;
    if (!intent.detect(clause)) continue;
    const tool = resolveTool(intent, tools);
    if (tool) return { intent, tool };
  }
  return undefined;
}

function matchClauses(clauses: readonly string[], tools: readonly ToolSummary[], env: SlotEnv): MatchResult {
  // "assign NET-4 to me and move it to In Progress": a later clause's "it" is an earlier clause's record.
  const resolvedClauses = clauses.map((clause, i) => (i === 0 ? clause : resolveReference(clause, [{ role: 'user', content: clauses.slice(0, i).join(' '), provenance: 'requester' }])?.text ?? clause));
  const found = resolvedClauses.map((clause) => ({ clause, hit: detect(clause, tools) }));
  if (found.some((f) => !f.hit)) return { kind: 'none' };
  // A clause without its own subject may reuse its sibling's ("open an incident for X and file a bug").
  const subjects = found.map((f) => f.hit!.intent.subject?.(f.clause)).filter((s): s is string => s !== undefined);
  const steps: MatchedStep[] = [];
  for (const { clause, hit } of found) {
    const { intent, tool } = hit!;
    // "close all my tickets" is not "list my tickets": a read never answers a request for a change.
    if (tool.risk === 'read' && !READ_INTENTS.has(intent.id) && intent.id !== 'servicenow.search_knowledge' && WRITE_VERB.test(clause)) return { kind: 'none' };
    if (READ_INTENTS.has(intent.id) && WRITE_VERB.test(clause)) {
      const verb = WRITE_VERB.exec(clause)![0]!.toLowerCase();
      const slots = intent.extract(clause, env);
      const id = 'args' in slots ? String(slots.args.number ?? slots.args.key ?? 'that record') : 'that record';
      const jira = intent.id === 'jira.get_issue';
      return {
        kind: 'answer',
        intent: `decline.${intent.id}`,
        text: `I can't ${/^(make|set|change|update|edit|bump|raise|lower|increase|decrease|upgrade|downgrade)$/.test(verb) ? `make that change to ${id}` : `${verb} ${id}`} from here, so I haven't changed anything. I can look it up, add a comment to it${jira ? ', assign it, or move it to another status' : ', or resolve it'}.`,
      };
    }
    const slotEnv: SlotEnv = subjects[0] !== undefined ? { ...env, siblingSubject: subjects[0] } : env;
    const slots = intent.extract(clause, clauses.length > 1 ? slotEnv : env);
    if ('missing' in slots) return { kind: 'clarify', question: slots.missing, intent: intent.id };
    steps.push({ intent: intent.id, tool: tool.name, args: slots.args, title: slots.title });
  }
  return { kind: 'plan', steps };
}

/**
 * Tier 0: recognises everyday requests with regular expressions and slot extraction, no model and
 * no tokens. A compound request is split on "and"/"then" only when every clause is understood on
 * its own; otherwise the whole text must match one intent. A missing required slot becomes a
 * clarifying question rather than a guess.
 */
function matchText(text: string, tools: readonly ToolSummary[], env: SlotEnv): MatchResult {
  if (NEEDS_MODEL.test(text) || NEEDS_REASONING.test(text)) return topicGuard(text, tools) ?? { kind: 'none' };
  const guarded = guard(text, tools);
  if (guarded) return guarded;
  const clauses = splitClauses(text);
  if (clauses.length > 1) {
    const compound = matchClauses(clauses, tools, env);
    if (compound.kind !== 'none') return compound;
  }
  return matchClauses([text], tools, env);
}

const BARE_ACTION = /^(?:please\s+)?(close|resolve|escalate|reopen|assign|update|cancel|move|comment on)(?:\s+(?:it|this|that|this one|that one|them))?(?:\s+please)?$/i;

/**
 * Tier 0 with the thread as context: a request that points back at a record ("make it a P1",
 * "assign it to me") is read with the newest fitting record of the recent turns in its place. The
 * referent is reported so the planner can treat a record named by untrusted text accordingly.
 */
export function matchRequest(request: string, tools: readonly ToolSummary[], env: SlotEnv, history: readonly ConversationTurn[] = []): MatchResult {
  const text = repairTypos(normalizeRequest(request));
  if (text.length === 0) return { kind: 'none' };
  const direct = matchText(text, tools, env);
  if (direct.kind === 'plan' && !hasReference(text)) return direct;
  const resolved = resolveReference(text, history);
  if (resolved) {
    const viaHistory = matchText(resolved.text, tools, env);
    if (viaHistory.kind === 'plan') return { ...viaHistory, referent: resolved.referent };
    if (viaHistory.kind !== 'none') return viaHistory;
  }
  if (direct.kind !== 'none') return direct;
  if (BARE_ACTION.test(text) || (hasReference(text) && ACTION_VERB.test(text) && text.split(' ').length <= 8)) {
    return { kind: 'clarify', intent: 'reference', question: 'Which record do you mean? Give me the ServiceNow incident number (like INC0010001) or the Jira key (like NET-12).' };
  }
  return direct;
}
