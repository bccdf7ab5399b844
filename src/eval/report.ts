import { judge, type Outcome, type Verdict } from './judge.js';
import { meanPassHatK } from './passK.js';
import type { Expectation, Scenario } from './scenario.js';

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly successes: number;
  readonly trials: number;
  /** The first failing trial's explanation. */
  readonly failure?: string;
}

/** Runs one scenario `trials` times through `attempt` and judges each outcome against `expected`. */
export async function trial(scenario: Scenario, expected: Expectation, trials: number, attempt: () => Promise<Outcome> | Outcome): Promise<ScenarioResult> {
  let successes = 0;
  let failure: string | undefined;
  for (let i = 0; i < trials; i += 1) {
    let verdict: Verdict;
    try {
      verdict = judge(expected, await attempt());
    } catch (error) {
      verdict = { pass: false, detail: `threw ${error instanceof Error ? error.message : String(error)}` };
    }
    if (verdict.pass) successes += 1;
    else failure ??= verdict.detail;
  }
  return { scenario, successes, trials, ...(failure ? { failure } : {}) };
}

export interface TierSummary {
  readonly tier: string;
  readonly scenarios: number;
  readonly passAt1: number;
  readonly passAtK: number;
  readonly k: number;
}

export function summarize(tier: string, results: readonly ScenarioResult[], k: number): TierSummary {
  return { tier, scenarios: results.length, passAt1: meanPassHatK(results, 1), passAtK: meanPassHatK(results, k), k };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(7);

export type TierRow = TierSummary | { readonly tier: string; readonly skipped: string };

export function tierTable(rows: readonly TierRow[]): string {
  const k = rows.find((r): r is TierSummary => 'k' in r)?.k ?? 8;
  const lines = [`${'tier'.padEnd(28)} ${'scenarios'.padStart(9)} ${'pass^1'.padStart(7)} ${`pass^${k}`.padStart(7)}`];
  for (const row of rows) {
    lines.push('skipped' in row ? `${row.tier.padEnd(28)} skipped: ${row.skipped}` : `${row.tier.padEnd(28)} ${String(row.scenarios).padStart(9)} ${pct(row.passAt1)} ${pct(row.passAtK)}`);
  }
  return lines.join('\n');
}

/** The intent a scenario exercises: the tools it expects, or the kind of reply and its theme. */
export function intentKey(scenario: Scenario): string {
  const e = scenario.expect;
  return e.kind === 'plan' ? e.tools.map((t) => t.tool).join(' + ') : `(${e.kind}) ${scenario.intent}`;
}

export function intentTable(results: readonly ScenarioResult[], k: number): string {
  const byIntent = new Map<string, ScenarioResult[]>();
  for (const r of results) byIntent.set(intentKey(r.scenario), [...(byIntent.get(intentKey(r.scenario)) ?? []), r]);
  const lines = [`${'intent'.padEnd(60)} ${'n'.padStart(4)} ${'pass^1'.padStart(7)} ${`pass^${k}`.padStart(7)}`];
  for (const [intent, rows] of [...byIntent.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${intent.padEnd(60)} ${String(rows.length).padStart(4)} ${pct(meanPassHatK(rows, 1))} ${pct(meanPassHatK(rows, k))}`);
  }
  return lines.join('\n');
}

export function failureList(results: readonly ScenarioResult[]): string {
  return results.filter((r) => r.failure).map((r) => `✗ ${r.scenario.id}: "${lastTurn(r.scenario)}" — ${r.failure}`).join('\n');
}

function lastTurn(s: Scenario): string {
  const last = s.turns[s.turns.length - 1]!;
  return 'user' in last ? last.user : last.assistant;
}
