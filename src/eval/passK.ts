/**
 * pass^k as in τ-bench: the chance that all k independent trials of a scenario succeed, estimated
 * per scenario from n ≥ k trials as C(c, k) / C(n, k) (c = successes) and averaged over scenarios.
 * pass^1 is the plain success rate; pass^k falls below it whenever a tier is inconsistent.
 */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i += 1) result = (result * (n - k + i)) / i;
  return result;
}

export function passHatK(successes: number, trials: number, k: number): number {
  if (trials < k) throw new RangeError(`pass^${k} needs at least ${k} trials, got ${trials}`);
  return choose(successes, k) / choose(trials, k);
}

export function meanPassHatK(results: readonly { successes: number; trials: number }[], k: number): number {
  if (results.length === 0) return 0;
  return results.reduce((sum, r) => sum + passHatK(r.successes, r.trials, k), 0) / results.length;
}
