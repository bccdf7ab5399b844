import { failureList, intentTable, summarize, tierTable, type ScenarioResult } from './report.js';
import { productTrial, startProductForEval } from './productMode.js';
import type { Scenario } from './scenario.js';

/** The PostgreSQL server product mode creates its scratch database on. */
export function evalDatabaseServer(env: Readonly<Record<string, string | undefined>>): string {
  return env.EVAL_DATABASE_URL ?? env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
}

/**
 * `npm run eval -- --product [--k 1] [--limit N]`: the scenarios that state an end state (at most
 * `limit`), k trials each against the whole product; returns the end-state pass^1 / pass^k table, the
 * per-intent table and each failure for the script to print, and exit code 1 below pass^k = 1.0.
 */
export async function runProductMode(scenarios: readonly Scenario[], k: number, limit: number): Promise<{ text: string; exitCode: number }> {
  const chosen = scenarios.filter((s) => s.endState).slice(0, limit);
  const started = Date.now();
  const successes = new Map<Scenario, number>(chosen.map((s) => [s, 0]));
  const failures = new Map<Scenario, string>();
  // Each trial round gets a freshly started product: the sandboxes keep what earlier trials did (an
  // issue already moved, a request already pending), so trials on one product would not be independent.
  // Scenarios within a round share it, in file order.
  for (let round = 0; round < k; round += 1) {
    const probe = await startProductForEval(evalDatabaseServer(process.env));
    try {
      for (const scenario of chosen) {
        const verdict = await productTrial(probe, scenario).catch((error: unknown) => ({ pass: false, detail: `threw ${error instanceof Error ? error.message : String(error)}` }));
        if (verdict.pass) successes.set(scenario, successes.get(scenario)! + 1);
        else if (!failures.has(scenario)) failures.set(scenario, verdict.detail ?? 'failed');
      }
    } finally {
      await probe.close();
    }
  }
  const results: ScenarioResult[] = chosen.map((scenario) => ({ scenario, successes: successes.get(scenario)!, trials: k, ...(failures.has(scenario) ? { failure: failures.get(scenario)! } : {}) }));
  const summary = summarize('whole product: end state', results, k);
  const failed = failureList(results);
  const text = [
    `${chosen.length} of ${scenarios.length} scenarios state an end state; k = ${k}; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    tierTable([summary]),
    `\nend state by intent\n${intentTable(results, k)}`,
    ...(failed ? [`\nend-state failures\n${failed}`] : []),
  ].join('\n');
  return { text, exitCode: summary.passAtK < 1 ? 1 : 0 };
}
