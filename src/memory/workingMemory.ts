import { z } from 'zod';
import type { KeyValueStore } from '../infra/keyValue.js';
import { tenantKey } from '../infra/keys.js';

const notesSchema = z.record(z.string(), z.string());

/**
 * Scratch notes for one run (e.g. "resolved assignee accountId"), shared by every worker that
 * resumes the run and dropped with it; never shared across runs.
 */
export class WorkingMemory {
  constructor(private readonly kv: KeyValueStore, private readonly ttlMs = 24 * 60 * 60 * 1000) {}

  private key(tenantId: string, runId: string): string {
    return tenantKey(tenantId, 'run', runId, 'working');
  }

  async read(tenantId: string, runId: string): Promise<Record<string, string>> {
    const raw = await this.kv.get(this.key(tenantId, runId));
    if (!raw) return {};
    const parsed = notesSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  }

  /** Read-modify-write: a run is executed by one worker at a time (the engine's conversation lock). */
  async note(tenantId: string, runId: string, key: string, value: string): Promise<void> {
    const notes = await this.read(tenantId, runId);
    notes[key] = value;
    await this.kv.set(this.key(tenantId, runId), JSON.stringify(notes), { ttlMs: this.ttlMs });
  }

  async clear(tenantId: string, runId: string): Promise<void> {
    await this.kv.delete(this.key(tenantId, runId));
  }
}
