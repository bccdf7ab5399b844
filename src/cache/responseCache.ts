import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Plan } from '../engine/plan.js';
import type { KeyValueStore } from '../infra/keyValue.js';
import { tenantKey } from '../infra/keys.js';
import type { PlannerTier, StepObservation, ToolSummary } from '../planner/planner.js';

const entrySchema = z.object({ text: z.string(), tier: z.enum(['deterministic', 'fast', 'mid', 'power']), at: z.number() });
export type CachedAnswer = z.infer<typeof entrySchema>;

/** Same words, same request: case, spacing and trailing punctuation do not matter. */
export function normalizeForCache(request: string): string {
  return request.toLowerCase().replace(/\s+/g, ' ').replace(/[.!?\s]+$/, '').trim();
}

/**
 * Answers to identical read-only requests, scoped per tenant AND user (people see different data),
 * with a short TTL. Only cacheable when every executed step used a `read` tool and succeeded; a
 * plan with any write or high-risk step is never cached.
 */
export class ResponseCache {
  constructor(private readonly kv: KeyValueStore, private readonly ttlMs = 60_000, private readonly now: () => number = Date.now) {}

  private key(tenantId: string, userId: string, request: string): string {
    const digest = createHash('sha256').update(normalizeForCache(request)).digest('hex').slice(0, 32);
    return tenantKey(tenantId, 'rcache', userId, digest);
  }

  static isCacheable(plan: Plan | undefined, observations: readonly StepObservation[], tools: readonly ToolSummary[]): boolean {
    if (!plan || plan.steps.length === 0 || observations.length === 0) return false;
    const risk = new Map(tools.map((t) => [t.name, t.risk]));
    return plan.steps.every((s) => risk.get(s.tool) === 'read') && observations.every((o) => o.status === 'succeeded' && risk.get(o.tool) === 'read');
  }

  async get(tenantId: string, userId: string, request: string): Promise<CachedAnswer | null> {
    const raw = await this.kv.get(this.key(tenantId, userId, request));
    if (!raw) return null;
    try {
      const parsed = entrySchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async put(tenantId: string, userId: string, request: string, answer: { text: string; tier: PlannerTier }): Promise<void> {
    await this.kv.set(this.key(tenantId, userId, request), JSON.stringify({ ...answer, at: this.now() }), { ttlMs: this.ttlMs });
  }
}
