import type { JsonObject } from '../../core/json.js';
import type { ToolSummary } from '../planner.js';
import { NEEDS_REASONING, mentionedConnectors } from '../connectorMentions.js';
import { INTENTS } from './intents/index.js';
import { normalizeRequest, splitClauses } from './text.js';
import type { Intent, SlotEnv } from './types.js';

export interface MatchedStep {
  readonly intent: string;
  /** Full tool name as the tenant's registry exposes it. */
  readonly tool: string;
  readonly args: JsonObject;
  readonly title: string;
}

export type MatchResult =
  | { readonly kind: 'plan'; readonly steps: readonly MatchedStep[] }
  | { readonly kind: 'clarify'; readonly question: string; readonly intent: string }
  | { readonly kind: 'none' };

/** Finds the tenant's tool for an intent: `<instance>_<local>`, preferring the connector kind's own instance. */
export function resolveTool(intent: Intent, tools: readonly ToolSummary[]): ToolSummary | undefined {
  const suffix = `_${intent.tool}`;
  const candidates = tools.filter((t) => t.name.endsWith(suffix) && (t.connectorKind === intent.connector || t.name.startsWith(`${intent.connector}_`)));
  return candidates.find((t) => t.name === `${intent.connector}${suffix}`) ?? candidates[0];
}

function detect(clause: string, tools: readonly ToolSummary[]): { intent: Intent; tool: ToolSummary } | undefined {
  // Tier 0 is only confident about one plain action on one connector per clause.
  if (NEEDS_REASONING.test(clause)) return undefined;
  const mentioned = mentionedConnectors(clause, tools);
  for (const intent of INTENTS) {
    if (mentioned.some((kind) => kind !== intent.connector)) continue;
    if (!intent.detect(clause)) continue;
    const tool = resolveTool(intent, tools);
    if (tool) return { intent, tool };
  }
  return undefined;
}

function matchClauses(clauses: readonly string[], tools: readonly ToolSummary[], env: SlotEnv): MatchResult {
  const found = clauses.map((clause) => ({ clause, hit: detect(clause, tools) }));
  if (found.some((f) => !f.hit)) return { kind: 'none' };
  // A clause without its own subject may reuse its sibling's ("open an incident for X and file a bug").
  const subjects = found.map((f) => f.hit!.intent.subject?.(f.clause)).filter((s): s is string => s !== undefined);
  const steps: MatchedStep[] = [];
  for (const { clause, hit } of found) {
    const { intent, tool } = hit!;
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
export function matchRequest(request: string, tools: readonly ToolSummary[], env: SlotEnv): MatchResult {
  const text = normalizeRequest(request);
  if (text.length === 0) return { kind: 'none' };
  const clauses = splitClauses(text);
  if (clauses.length > 1) {
    const compound = matchClauses(clauses, tools, env);
    if (compound.kind !== 'none') return compound;
  }
  return matchClauses([text], tools, env);
}
