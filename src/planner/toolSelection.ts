import { renderTool } from './model/prompt.js';
import type { ToolSummary } from './planner.js';

export interface ToolSelectionOptions {
  /** Tools used earlier in the conversation; kept so follow-ups ("and close it") still work. */
  readonly recentTools?: readonly string[];
  /** Upper bound on tools sent to the model. */
  readonly max?: number;
  /**
   * Upper bound on the tokens of the selected tools' prompt lines (default 900, which keeps the
   * planning prompt ≤ 1,500 with the policy and the call tools). Server-written MCP tools can be
   * long-winded, so a count of tools alone does not bound the prompt.
   */
  readonly maxToolTokens?: number;
  /** The model's tokenizer; without it a conservative 3 characters per token is assumed. */
  readonly countTokens?: (text: string) => number;
}

/** Everyday words → the vocabulary tool descriptions use. Small on purpose; BM25 does the rest. */
const SYNONYMS: Readonly<Record<string, string>> = {
  ticket: 'incident', tickets: 'incident', outage: 'incident', broken: 'incident', down: 'incident',
  bug: 'issue', bugs: 'issue', story: 'issue', deal: 'opportunity', deals: 'opportunity', pipeline: 'opportunity',
  customer: 'account', company: 'account', password: 'okta password', locked: 'unlock', mfa: 'okta mfa', '2fa': 'mfa',
  access: 'request app group', join: 'group membership', move: 'transition stage', status: 'get transition',
  comment: 'comment', assign: 'assign', close: 'resolve', resolve: 'resolve',
  new: 'create', book: 'create', vacation: 'time off', holiday: 'time off', pto: 'time off',
  left: 'remaining balance', remaining: 'balance',
};

const STOP = new Set(['a', 'an', 'the', 'my', 'me', 'i', 'to', 'of', 'in', 'on', 'for', 'and', 'or', 'is', 'it', 'please', 'can', 'you', 'with', 'by', 'as', 'your', 'one', 'e', 'g']);

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0 && !STOP.has(t))
    .map(stem);
}

/** Plural to singular, enough for tool vocabulary ("opportunities" → "opportunity", "issues" → "issue"). */
function stem(t: string): string {
  if (t.length > 4 && t.endsWith('ies')) return `${t.slice(0, -3)}y`;
  if (t.length > 3 && t.endsWith('s') && !t.endsWith('ss')) return t.slice(0, -1);
  return t;
}

function documentOf(tool: ToolSummary): string[] {
  const params = Object.keys((tool.parameters as { properties?: Record<string, unknown> }).properties ?? {});
  // The name counts twice: it is the most specific signal a tool has.
  return [...tokenize(tool.name), ...tokenize(tool.name), ...tokenize(tool.connectorKind ?? ''), ...tokenize(tool.description), ...params.flatMap(tokenize)];
}

/** Okapi BM25 (k1 = 1.2, b = 0.75) over tool names, kinds, descriptions and argument names. */
export function rankTools(query: string, tools: readonly ToolSummary[]): { tool: ToolSummary; score: number }[] {
  const expanded = tokenize(query).flatMap((t) => [t, ...(SYNONYMS[t] ? tokenize(SYNONYMS[t]) : [])]);
  const terms = [...new Set(expanded)];
  const docs = tools.map(documentOf);
  const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(docs.length, 1);
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const k1 = 1.2;
  const b = 0.75;
  return tools
    .map((tool, i) => {
      const doc = docs[i]!;
      let score = 0;
      for (const term of terms) {
        const n = df.get(term);
        if (!n) continue;
        const tf = doc.filter((t) => t === term).length;
        if (tf === 0) continue;
        const idf = Math.log(1 + (tools.length - n + 0.5) / (n + 0.5));
        score += idf * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * doc.length) / avgLength)));
      }
      return { tool, score };
    })
    .sort((x, y) => y.score - x.score);
}

/** The system a tool belongs to: its connector, else the `<serverId>_` prefix of MCP and custom tools. */
function systemOf(tool: ToolSummary): string {
  return tool.connectorId ?? tool.name.split('_')[0] ?? tool.name;
}

/** How an employee calls a system: its id, its kind, and the display name MCP tools lead their description with. */
function namesOf(system: string, tools: readonly ToolSummary[]): string[] {
  const tool = tools.find((t) => systemOf(t) === system);
  if (!tool) return [system];
  const display = /^([^:.]{1,40}): /.exec(tool.description)?.[1];
  return [system, ...tokenize(tool.connectorKind ?? ''), ...(display && !tool.connectorId ? [tokenize(display).join('')] : [])];
}

/**
 * The few tools worth showing the model for this request: BM25's best matches above a relative
 * cut-off plus the conversation's recent tools, so the planning prompt stays small even for a
 * tenant with a few hundred tools. When the request clearly spans several systems ("refund it in
 * Stripe and comment on my incident"), each strong system gets its share of the slots first: one
 * system's many near-identical tools must not crowd out the other system the request names.
 */
export function selectTools(request: string, tools: readonly ToolSummary[], options: ToolSelectionOptions = {}): ToolSummary[] {
  const max = options.max ?? 10;
  const count = options.countTokens ?? ((text: string) => Math.ceil(text.length / 3));
  let room = options.maxToolTokens ?? 900;
  const ranked = rankTools(request, tools).filter((r) => r.score > 0);
  const best = ranked[0]?.score ?? 0;
  const eligible = ranked.filter((r) => r.score >= best * 0.25);
  const chosen = new Map<string, ToolSummary>();
  // A tool whose line does not fit what is left is skipped, so a shorter one further down can still come in.
  const take = (tool: ToolSummary): boolean => {
    if (chosen.size >= max || chosen.has(tool.name)) return false;
    const cost = count(renderTool(tool)) + 1;
    if (cost > room) return false;
    room -= cost;
    chosen.set(tool.name, tool);
    return true;
  };
  for (const name of options.recentTools ?? []) {
    const tool = tools.find((t) => t.name === name);
    if (tool) take(tool);
  }
  const systemBest = new Map<string, number>();
  for (const { tool, score } of eligible) if (!systemBest.has(systemOf(tool))) systemBest.set(systemOf(tool), score);
  // Systems the employee names get the shares; otherwise every system scoring near the best does.
  const words = new Set(tokenize(request));
  const named = [...systemBest.keys()].filter((system) => namesOf(system, tools).some((name) => words.has(name)));
  const strong = named.length > 0 ? named.length : [...systemBest.values()].filter((score) => score >= best * 0.5).length;
  // First pass: up to a fair share per strong system; second pass: whatever is left, by score.
  const share = Math.max(2, Math.ceil((max - chosen.size) / Math.max(strong, 1)));
  const taken = new Map<string, number>();
  for (const { tool } of eligible) {
    if (chosen.size >= max) break;
    const system = systemOf(tool);
    if ((named.length > 0 && !named.includes(system)) || (taken.get(system) ?? 0) >= share) continue;
    if (take(tool)) taken.set(system, (taken.get(system) ?? 0) + 1);
  }
  for (const { tool } of eligible) {
    if (chosen.size >= max) break;
    take(tool);
  }
  return [...chosen.values()];
}
