import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/json.js';

/**
 * Same run, step, tool, arguments and attempt → same key, in every process and after every restart.
 * Step keys repeat across plan versions, so a replan that retries a call which failed gets a new
 * attempt (and key) and really runs again; a call from the same attempt left `started` by a crash
 * keeps its key and is reconciled, never repeated. Attempt 0 is the key without an attempt, as
 * before attempts existed, so calls recorded earlier keep their keys.
 */
export function idempotencyKeyFor(runId: string, stepKey: string, tool: string, args: unknown, attempt = 0): string {
  const base = `${runId}\n${stepKey}\n${tool}\n${canonicalJson(args)}`;
  return createHash('sha256').update(attempt === 0 ? base : `${base}\nattempt ${attempt}`).digest('hex');
}

export function argsHashOf(tool: string, args: unknown): string {
  return createHash('sha256').update(`${tool}\n${canonicalJson(args)}`).digest('hex');
}
