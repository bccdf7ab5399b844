import type { EngineTables } from './engineDeps.js';

/**
 * Replays a dead-lettered run once: the run is queued again with its crash counter reset, and
 * resumes from its persisted state (completed steps are not repeated) with a fresh active-time
 * allowance (the old deadline passed long ago; replaying would otherwise fail at once).
 */
export async function replayDeadLetter(
  tables: EngineTables,
  tenantId: string,
  id: string,
  enqueue: (tenantId: string, runId: string) => Promise<void>,
): Promise<boolean> {
  const letter = await tables.deadLetters.markReplayed(tenantId, id);
  if (!letter) return false;
  await tables.runs.update(tenantId, letter.runId, { status: 'queued', attempts: 0, deadlineAt: null, activeMs: 0, error: { code: 'replayed', message: 'replayed from the dead-letter list' }, finishedAt: null });
  await enqueue(tenantId, letter.runId);
  return true;
}
