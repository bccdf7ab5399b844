import type { PrismaClient } from '../generated/prisma/client.js';
import type { BudgetCaps } from '../config/tenantConfig.js';

/**
 * Day-by-day series for the usage charts (UTC days, oldest first, every day present so the charts'
 * x axes line up). Each series is one aggregate query per table over an indexed (tenant, time)
 * range, so the cost grows with the days shown, not with the runs kept.
 */
export interface UsageSeries {
  readonly days: readonly string[];
  readonly runs: readonly number[];
  /** Runs planned or answered by tier 0 (the deterministic planner), as a share of the day's runs. */
  readonly tier0Share: readonly (number | null)[];
  readonly tokens: readonly number[];
  readonly costMicros: readonly number[];
  /** Time from the message to the run's end (waits included), over the runs that ended that day. */
  readonly p50Ms: readonly (number | null)[];
  readonly p95Ms: readonly (number | null)[];
  readonly failedRuns: readonly number[];
  /** Failed tool calls per connector and day. */
  readonly failuresByConnector: Readonly<Record<string, readonly number[]>>;
  readonly caps: { readonly perTenantDay: BudgetCaps; readonly perUserDay: BudgetCaps };
  readonly approvalQueue: { readonly pending: number; readonly oldestAgeMs: number | null; readonly ages: readonly { readonly id: string; readonly action: string; readonly ageMs: number }[] };
}

const DAY_MS = 86_400_000;

export async function usageSeries(prisma: PrismaClient, tenantId: string, options: { days: number; now: Date; caps: UsageSeries['caps'] }): Promise<UsageSeries> {
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const from = new Date(today - (options.days - 1) * DAY_MS);
  const days = Array.from({ length: options.days }, (_, i) => new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10));
  const index = new Map(days.map((d, i) => [d, i]));
  const zeros = () => days.map(() => 0);
  const nulls = (): (number | null)[] => days.map(() => null);

  const [runRows, latencyRows, usageRows, failureRows, pending] = await Promise.all([
    prisma.$queryRaw<{ day: string; runs: bigint; tier0: bigint; failed: bigint }[]>`
      SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS runs,
             count(*) FILTER (WHERE routing->>'tier' = 'deterministic') AS tier0,
             count(*) FILTER (WHERE status IN ('failed', 'budget_exceeded')) AS failed
      FROM runs WHERE tenant_id = ${tenantId} AND created_at >= ${from} GROUP BY 1`,
    prisma.$queryRaw<{ day: string; p50: number | null; p95: number | null }[]>`
      SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p95
      FROM runs WHERE tenant_id = ${tenantId} AND created_at >= ${new Date(from.getTime() - DAY_MS)} AND finished_at >= ${from} GROUP BY 1`,
    prisma.$queryRaw<{ day: string; tokens: bigint | null; cost: bigint | null }[]>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(input_tokens + output_tokens)::bigint AS tokens, sum(cost_micros)::bigint AS cost
      FROM usage_ledger WHERE tenant_id = ${tenantId} AND day >= ${from} GROUP BY 1`,
    prisma.$queryRaw<{ day: string; connector: string | null; failures: bigint }[]>`
      SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, connector_id AS connector, count(*) AS failures
      FROM tool_calls WHERE tenant_id = ${tenantId} AND status = 'failed' AND started_at >= ${from} GROUP BY 1, 2`,
    prisma.approval.findMany({ where: { tenantId, status: 'pending' }, orderBy: { createdAt: 'asc' }, take: 50, select: { id: true, action: true, createdAt: true } }),
  ]);

  const runs = zeros(); const tier0 = zeros(); const failedRuns = zeros();
  for (const r of runRows) {
    const i = index.get(r.day);
    if (i === undefined) continue;
    runs[i] = Number(r.runs); tier0[i] = Number(r.tier0); failedRuns[i] = Number(r.failed);
  }
  const p50Ms = nulls(); const p95Ms = nulls();
  for (const r of latencyRows) {
    const i = index.get(r.day);
    if (i === undefined) continue;
    p50Ms[i] = r.p50 === null ? null : Math.round(Number(r.p50)); p95Ms[i] = r.p95 === null ? null : Math.round(Number(r.p95));
  }
  const tokens = zeros(); const costMicros = zeros();
  for (const r of usageRows) {
    const i = index.get(r.day);
    if (i === undefined) continue;
    tokens[i] = Number(r.tokens ?? 0n); costMicros[i] = Number(r.cost ?? 0n);
  }
  const failuresByConnector: Record<string, number[]> = {};
  for (const r of failureRows) {
    const i = index.get(r.day);
    if (i === undefined) continue;
    const series = (failuresByConnector[r.connector ?? 'internal'] ??= zeros());
    series[i] = (series[i] ?? 0) + Number(r.failures);
  }
  const now = options.now.getTime();
  const pendingCount = pending.length < 50 ? pending.length : await prisma.approval.count({ where: { tenantId, status: 'pending' } });
  const ages = pending.map((a) => ({ id: a.id, action: a.action, ageMs: Math.max(0, now - a.createdAt.getTime()) }));
  return {
    days, runs, tier0Share: runs.map((n, i) => (n ? tier0[i]! / n : null)), tokens, costMicros, p50Ms, p95Ms, failedRuns, failuresByConnector,
    caps: options.caps,
    approvalQueue: { pending: pendingCount, oldestAgeMs: ages[0]?.ageMs ?? null, ages },
  };
}
