import type { ToolSummary } from './planner.js';

export interface ToolSelectionOptions {
  /** Tools used earlier in the conversation; kept so follow-ups ("and close it") still work. */
  readonly recentTools?: readonly string[];
  /** Upper bound on tools sent to the model. */
  readonly max?: number;
}

/** Everyday words → the vocabulary tool descriptions use. Small on purpose; BM25 does the rest. */
const SYNONYMS: Readonly<Record<string, string>> = {
  ticket: 'incident', tickets: 'incident', outage: 'incident', broken: 'incident', down: 'incident',
  bug: 'issue', bugs: 'issue', story: 'issue', deal: 'opportunity', deals: 'opportunity', pipeline: 'opportunity',
  customer: 'account', company: 'account', password: 'okta password', locked: 'unlock', mfa: 'okta mfa', '2fa': 'mfa',
  access: 'request app group', join: 'group membership', move: 'transition stage', status: 'get transition',
  comment: 'comment', assign: 'assign', close: 'resolve', resolve: 'resolve',
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

/**
 * The few tools worth showing the model for this request: BM25's best matches above a relative
 * cut-off plus the conversation's recent tools, so the planning prompt stays small even for a
 * tenant with 100+ tools.
 */
export function selectTools(request: string, tools: readonly ToolSummary[], options: ToolSelectionOptions = {}): ToolSummary[] {
  const max = options.max ?? 10;
  const ranked = rankTools(request, tools).filter((r) => r.score > 0);
  const best = ranked[0]?.score ?? 0;
  const chosen = new Map<string, ToolSummary>();
  for (const name of options.recentTools ?? []) {
    const tool = tools.find((t) => t.name === name);
    if (tool && chosen.size < max) chosen.set(tool.name, tool);
  }
  for (const { tool, score } of ranked) {
    if (chosen.size >= max) break;
    if (score >= best * 0.25) chosen.set(tool.name, tool);
  }
  return [...chosen.values()];
}
