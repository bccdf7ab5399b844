import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/json.js';

/** Same run, step, tool and arguments → same key, in every process and after every restart. */
export function idempotencyKeyFor(runId: string, stepKey: string, tool: string, args: unknown): string {
  return createHash('sha256').update(`${runId}\n${stepKey}\n${tool}\n${canonicalJson(args)}`).digest('hex');
}

export function argsHashOf(tool: string, args: unknown): string {
  return createHash('sha256').update(`${tool}\n${canonicalJson(args)}`).digest('hex');
}
