import { createHash } from 'node:crypto';
import { jiraRetryPolicy } from './resilience.js';

/** Issue and comment property that carries the runtime's idempotency key; readable back through JQL. */
export const IDEMPOTENCY_PROPERTY = 'switchboard.idempotency';

/**
 * Label for JQL read-back (`labels = "sb-…"`). Hashing keeps it free of spaces and short whatever
 * the runtime's key looks like; 128 bits leave collisions out of reach.
 */
export function idempotencyLabel(idempotencyKey: string): string {
  return `sb-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}

export function idempotencyPropertyValue(idempotencyKey: string, runId: string, stepId: string): { key: string; value: { key: string; runId: string; stepId: string } } {
  return { key: IDEMPOTENCY_PROPERTY, value: { key: idempotencyKey, runId, stepId } };
}

export function carriesKey(properties: readonly { key: string; value: unknown }[] | undefined, idempotencyKey: string): boolean {
  return (properties ?? []).some((p) => p.key === IDEMPOTENCY_PROPERTY && typeof p.value === 'object' && p.value !== null && (p.value as { key?: unknown }).key === idempotencyKey);
}

/** A JQL string literal. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A non-idempotent write made safe to repeat: before every attempt (the first included, which
 * covers a resumed run) read back whether an earlier attempt already landed, and only write when
 * it did not. Transient failures (5xx, 429, timeouts) go round again; anything else surfaces.
 */
export async function guardedWrite<T>(input: { readBack: () => Promise<T | undefined>; write: () => Promise<T>; signal?: AbortSignal; maxAttempts?: number; deadlineMs?: number }): Promise<T> {
  const policy = jiraRetryPolicy({ maxAttempts: input.maxAttempts ?? 4, deadline: Date.now() + (input.deadlineMs ?? 30_000) });
  return policy.execute(async () => (await input.readBack()) ?? (await input.write()), input.signal);
}
