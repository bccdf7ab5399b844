import { Gauge, type Registry } from 'prom-client';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { TenantConfig } from '../config/tenantConfig.js';

/**
 * Gauges read from the database when Prometheus scrapes, not counted in memory: what is waiting
 * (approvals, queued runs, runs waiting for a link) and today's spend against the tenant's caps are
 * facts of the shared store, true whichever process answers the scrape and after any restart.
 */
export interface StateGaugeOptions {
  readonly prisma: PrismaClient;
  readonly tenants: readonly Pick<TenantConfig, 'id' | 'budgets'>[];
  readonly prefix?: string;
  readonly now?: () => Date;
}

interface Snapshot {
  readonly approvals: { tenant: string; waiting: number; oldestSeconds: number }[];
  readonly runs: { tenant: string; status: string; waiting: number; oldestSeconds: number }[];
  readonly spend: { tenant: string; tokens: number; usdMicros: number }[];
}

const EMPTY: Snapshot = { approvals: [], runs: [], spend: [] };

/** Statuses in which a run waits for something other than a worker's CPU. */
export const WAITING_STATUSES = ['queued', 'awaiting_approval', 'awaiting_link'] as const;

export function registerStateGauges(registry: Registry, options: StateGaugeOptions): void {
  const p = options.prefix ?? 'switchboard_';
  const now = options.now ?? (() => new Date());
  const tenantIds = options.tenants.map((t) => t.id);
  // One set of queries per scrape, shared by every gauge below (each gauge's collect asks for it).
  // A failed read leaves the gauges empty for that scrape (absent, not a misleading zero).
  let cached: { at: number; value: Promise<Snapshot> } | undefined;
  const snapshot = (): Promise<Snapshot> => {
    const at = Date.now();
    if (!cached || at - cached.at > 1000) cached = { at, value: load().catch(() => EMPTY) };
    return cached.value;
  };
  const load = async (): Promise<Snapshot> => {
    const t = now();
    const today = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
    const [approvals, runs, spend] = await Promise.all([
      options.prisma.$queryRaw<{ tenant: string; waiting: bigint; oldest: Date }[]>`
        SELECT tenant_id AS tenant, count(*) AS waiting, min(created_at) AS oldest FROM approvals
        WHERE tenant_id = ANY(${tenantIds}) AND status = 'pending' GROUP BY 1`,
      options.prisma.$queryRaw<{ tenant: string; status: string; waiting: bigint; oldest: Date }[]>`
        SELECT tenant_id AS tenant, status, count(*) AS waiting, min(updated_at) AS oldest FROM runs
        WHERE tenant_id = ANY(${tenantIds}) AND status = ANY(${[...WAITING_STATUSES]}) GROUP BY 1, 2`,
      options.prisma.$queryRaw<{ tenant: string; tokens: bigint | null; cost: bigint | null }[]>`
        SELECT tenant_id AS tenant, sum(input_tokens + output_tokens)::bigint AS tokens, sum(cost_micros)::bigint AS cost FROM usage_ledger
        WHERE tenant_id = ANY(${tenantIds}) AND day = ${today} GROUP BY 1`,
    ]);
    const age = (d: Date) => Math.max(0, (t.getTime() - d.getTime()) / 1000);
    return {
      approvals: approvals.map((a) => ({ tenant: a.tenant, waiting: Number(a.waiting), oldestSeconds: age(a.oldest) })),
      runs: runs.map((r) => ({ tenant: r.tenant, status: r.status, waiting: Number(r.waiting), oldestSeconds: age(r.oldest) })),
      spend: spend.map((s) => ({ tenant: s.tenant, tokens: Number(s.tokens ?? 0n), usdMicros: Number(s.cost ?? 0n) })),
    };
  };
  const registers = [registry];

  new Gauge({
    name: `${p}approvals_waiting`, help: 'Approvals waiting for a decision', labelNames: ['tenant'], registers,
    async collect() {
      this.reset();
      const s = await snapshot();
      if (s === EMPTY) return;
      for (const id of tenantIds) this.set({ tenant: id }, s.approvals.find((a) => a.tenant === id)?.waiting ?? 0);
    },
  });
  new Gauge({
    name: `${p}approval_oldest_wait_seconds`, help: 'Age of the oldest approval still waiting (0 when none)', labelNames: ['tenant'], registers,
    async collect() {
      this.reset();
      const s = await snapshot();
      if (s === EMPTY) return;
      for (const id of tenantIds) this.set({ tenant: id }, s.approvals.find((a) => a.tenant === id)?.oldestSeconds ?? 0);
    },
  });
  new Gauge({
    name: `${p}runs_waiting`, help: 'Runs queued for a worker or waiting for an approval or an account link', labelNames: ['tenant', 'status'], registers,
    async collect() {
      this.reset();
      const s = await snapshot();
      if (s === EMPTY) return;
      for (const id of tenantIds) for (const status of WAITING_STATUSES) this.set({ tenant: id, status }, s.runs.find((r) => r.tenant === id && r.status === status)?.waiting ?? 0);
    },
  });
  new Gauge({
    name: `${p}runs_oldest_wait_seconds`, help: 'How long the longest-waiting run has been in that status (queued = oldest job age)', labelNames: ['tenant', 'status'], registers,
    async collect() {
      this.reset();
      const s = await snapshot();
      if (s === EMPTY) return;
      for (const id of tenantIds) for (const status of WAITING_STATUSES) this.set({ tenant: id, status }, s.runs.find((r) => r.tenant === id && r.status === status)?.oldestSeconds ?? 0);
    },
  });
  new Gauge({
    name: `${p}budget_used_today`, help: 'Model spend of the tenant today (UTC): tokens, and USD', labelNames: ['tenant', 'resource'], registers,
    async collect() {
      this.reset();
      const s = await snapshot();
      if (s === EMPTY) return;
      for (const id of tenantIds) {
        const spent = s.spend.find((x) => x.tenant === id);
        this.set({ tenant: id, resource: 'tokens' }, spent?.tokens ?? 0);
        this.set({ tenant: id, resource: 'usd' }, (spent?.usdMicros ?? 0) / 1e6);
      }
    },
  });
  new Gauge({
    name: `${p}budget_used_ratio`, help: 'Share of the tenant\'s daily cap used today (only for capped resources)', labelNames: ['tenant', 'resource'], registers,
    async collect() {
      this.reset();
      const s = await snapshot();
      if (s === EMPTY) return;
      for (const tenant of options.tenants) {
        const caps = tenant.budgets.perTenantDay;
        const spent = s.spend.find((x) => x.tenant === tenant.id);
        if (caps.tokens) this.set({ tenant: tenant.id, resource: 'tokens' }, (spent?.tokens ?? 0) / caps.tokens);
        if (caps.usd) this.set({ tenant: tenant.id, resource: 'usd' }, (spent?.usdMicros ?? 0) / caps.usd);
      }
    },
  });
}
