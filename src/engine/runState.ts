import type { JsonValue } from '../core/json.js';
import type { StepStatus } from '../events/runEvent.js';
import type { Step } from '../generated/prisma/client.js';
import type { StepsTable } from './persistence/stepsTable.js';
import type { RunSession } from './session.js';

/**
 * The run's steps for this attempt. Read from Postgres once (start, resume, or after something
 * this attempt could not account for), then kept current by rememberStep() on every write, so the
 * hot path does not re-read what it just wrote. Only the worker holding the run (lock + fence)
 * writes steps, so nobody else can change them under this copy.
 */
export async function stepsOf(session: RunSession, table: StepsTable): Promise<Step[]> {
  session.steps ??= await table.listForRun(session.tenant.id, session.run.id);
  return session.steps;
}

/** A write this attempt made durable: mirror it in the in-memory copy. */
export function rememberStep(
  session: RunSession,
  stepId: string,
  change: { status: StepStatus; output?: JsonValue; error?: { code: string; message: string } | null; startedAt?: Date; finishedAt?: Date },
): void {
  const step = session.steps?.find((s) => s.id === stepId);
  if (!step) {
    forgetSteps(session);
    return;
  }
  step.status = change.status;
  // What Postgres would hand back: a JSON round trip (drops undefined, normalizes numbers).
  if (change.output !== undefined) step.output = JSON.parse(JSON.stringify(change.output)) as Step['output'];
  if (change.error !== undefined) step.error = change.error === null ? null : { code: change.error.code, message: change.error.message };
  if (change.startedAt) step.startedAt = change.startedAt;
  if (change.finishedAt) step.finishedAt = change.finishedAt;
}

/** The copy may differ from Postgres (a conditional write did not apply, an error): read again next time. */
export function forgetSteps(session: RunSession): void {
  session.steps = undefined;
}

/** A new plan's rows as inserted; anything unexpected falls back to a fresh read. */
export function rememberNewSteps(session: RunSession, inserted: readonly Step[], expected: number): void {
  if (!session.steps || inserted.length !== expected) {
    forgetSteps(session);
    return;
  }
  session.steps = [...session.steps, ...[...inserted].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())];
}
