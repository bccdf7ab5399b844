import type { PrismaClient } from '../generated/prisma/client.js';

/** One bar of a run's waterfall. Times are ISO strings; `end` is null while the span is still open. */
export interface TimelineBar {
  readonly kind: 'queued' | 'planning' | 'step' | 'tool' | 'wait_approval' | 'wait_link';
  readonly label: string;
  readonly start: string;
  readonly end: string | null;
  readonly durationMs: number | null;
  readonly status?: string;
  /** Nesting in the waterfall: tool calls sit under their step. */
  readonly depth: number;
  readonly tier?: string;
  readonly tokens?: number;
  readonly costMicros?: number;
  readonly connectorId?: string | null;
}

/** A run event as it was sent to the channel, with a one-line summary for people. */
export interface TimelineEvent {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly summary: string;
}

export interface RunTimeline {
  readonly run: { readonly id: string; readonly status: string; readonly channel: string; readonly createdAt: string; readonly finishedAt: string | null; readonly tier: string | null; readonly tokens: number; readonly costMicros: number; readonly traceId: string | null };
  readonly bars: readonly TimelineBar[];
  readonly modelCalls: readonly { readonly at: string; readonly tier: string | null; readonly model: string | null; readonly tokens: number; readonly costMicros: number }[];
  readonly events: readonly TimelineEvent[];
}

type Row<T> = T & { createdAt: Date };
interface EventRow { seq: number; type: string; payload: unknown; createdAt: Date }

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
const span = (start: Date, end: Date | null) => ({ start: start.toISOString(), end: iso(end), durationMs: end ? Math.max(0, end.getTime() - start.getTime()) : null });
const field = (payload: unknown, key: string): unknown => (payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>)[key] : undefined);
const text = (value: unknown, max = 120): string => {
  const s = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/** What a channel showed for an event, in a line (the full payload stays in the run detail). */
export function summarizeEvent(type: string, payload: unknown): string {
  switch (type) {
    case 'run.started': return text(field(payload, 'text'));
    case 'run.status': return [field(payload, 'status'), field(payload, 'note')].filter((x) => typeof x === 'string').join(': ');
    case 'plan.created': return `plan by the ${String(field(payload, 'tier') ?? '?')} tier`;
    case 'step.started': case 'step.finished': return [text(field(payload, 'title')), text(field(payload, 'summary'))].filter(Boolean).join(' — ');
    case 'step.failed': return `${text(field(payload, 'title'))} — ${text(field(field(payload, 'error'), 'message'))}`;
    case 'account.link_required': return `link ${String(field(payload, 'connectorName') ?? field(payload, 'connectorId') ?? '')}`;
    case 'account.linked': return `linked ${String(field(payload, 'connectorId') ?? '')}`;
    case 'message.delta': case 'run.completed': return text(field(payload, 'text'));
    case 'run.failed': return text(field(payload, 'message'));
    default: return text(field(payload, 'status') ?? field(payload, 'action') ?? '');
  }
}

/**
 * Builds the waterfall from what the run left behind: the run row, its persisted events (planning
 * and link waits are only visible there), steps, tool calls, approvals and the usage ledger.
 */
export function buildTimeline(input: {
  run: Row<{ id: string; status: string; channel: string; traceId?: string | null; startedAt: Date | null; finishedAt: Date | null; routing: unknown; tokensUsed: number; costMicros: bigint }>;
  events: readonly EventRow[];
  steps: readonly { id: string; key: string; tool: string; title: string; status: string; startedAt: Date | null; finishedAt: Date | null; createdAt: Date }[];
  toolCalls: readonly { stepId: string; tool: string; connectorId: string | null; status: string; attempts: number; durationMs: number | null; startedAt: Date; finishedAt: Date | null }[];
  approvals: readonly { stepId: string; action: string; status: string; createdAt: Date; decidedAt: Date | null }[];
  usage: readonly { tier: string | null; model: string | null; inputTokens: number; outputTokens: number; costMicros: bigint; createdAt: Date }[];
}): RunTimeline {
  const { run, events, usage } = input;
  const bars: TimelineBar[] = [];
  const firstStart = run.startedAt ?? events.find((e) => e.type === 'run.status' && field(e.payload, 'status') === 'planning')?.createdAt ?? null;
  if (firstStart) bars.push({ kind: 'queued', label: 'queued', depth: 0, ...span(run.createdAt, firstStart) });

  // Planning: from the moment the run (re)enters planning until its plan (or its answer) appears.
  let planningSince: Date | null = firstStart;
  let linkSince: { at: Date; connector: string } | null = null;
  for (const event of events) {
    const status = field(event.payload, 'status');
    if (event.type === 'run.status' && status === 'planning') planningSince ??= event.createdAt;
    if (planningSince && (event.type === 'plan.created' || event.type === 'run.completed' || event.type === 'run.failed' || (event.type === 'run.status' && status !== 'planning'))) {
      const end = event.createdAt;
      const calls = usage.filter((u) => u.createdAt >= planningSince! && u.createdAt <= end);
      const tier = event.type === 'plan.created' ? String(field(event.payload, 'tier') ?? '') : calls.at(-1)?.tier ?? undefined;
      bars.push({
        kind: 'planning', label: event.type === 'run.completed' ? 'answering' : 'planning', depth: 0, ...span(planningSince, end),
        ...(tier ? { tier } : {}), tokens: calls.reduce((s, u) => s + u.inputTokens + u.outputTokens, 0), costMicros: calls.reduce((s, u) => s + Number(u.costMicros), 0),
      });
      planningSince = null;
    }
    if (event.type === 'account.link_required') linkSince = { at: event.createdAt, connector: String(field(event.payload, 'connectorName') ?? field(event.payload, 'connectorId') ?? 'an account') };
    if (linkSince && (event.type === 'account.linked' || event.type === 'run.failed' || (event.type === 'run.status' && status !== 'awaiting_link'))) {
      bars.push({ kind: 'wait_link', label: `waiting for ${linkSince.connector} to be linked`, depth: 0, ...span(linkSince.at, event.createdAt) });
      linkSince = null;
    }
  }
  if (linkSince) bars.push({ kind: 'wait_link', label: `waiting for ${linkSince.connector} to be linked`, depth: 0, ...span(linkSince.at, null) });

  for (const step of input.steps) {
    const start = step.startedAt ?? step.createdAt;
    const approval = input.approvals.find((a) => a.stepId === step.id);
    if (approval) bars.push({ kind: 'wait_approval', label: `waiting for approval: ${approval.action}`, status: approval.status, depth: 0, ...span(approval.createdAt, approval.decidedAt) });
    bars.push({ kind: 'step', label: `${step.key} ${step.title}`, status: step.status, depth: 0, ...span(start, step.finishedAt) });
    for (const call of input.toolCalls.filter((c) => c.stepId === step.id)) {
      const end = call.finishedAt ?? (call.durationMs !== null ? new Date(call.startedAt.getTime() + call.durationMs) : null);
      bars.push({ kind: 'tool', label: `${call.tool}${call.attempts > 1 ? ` (${call.attempts} attempts)` : ''}`, status: call.status, connectorId: call.connectorId, depth: 1, ...span(call.startedAt, end) });
    }
  }
  bars.sort((a, b) => a.start.localeCompare(b.start) || a.depth - b.depth);

  const routing = field(run.routing, 'tier');
  return {
    run: { id: run.id, status: run.status, channel: run.channel, createdAt: run.createdAt.toISOString(), finishedAt: iso(run.finishedAt), tier: typeof routing === 'string' ? routing : null, tokens: run.tokensUsed, costMicros: Number(run.costMicros), traceId: run.traceId ?? null },
    bars,
    modelCalls: usage.map((u) => ({ at: u.createdAt.toISOString(), tier: u.tier, model: u.model, tokens: u.inputTokens + u.outputTokens, costMicros: Number(u.costMicros) })),
    events: events.map((e) => ({ seq: e.seq, type: e.type, at: e.createdAt.toISOString(), summary: summarizeEvent(e.type, e.payload) })),
  };
}

/** Reads one run's rows (tenant-filtered) and builds its timeline; null when the run is not the tenant's. */
export async function loadRunTimeline(prisma: PrismaClient, tenantId: string, runId: string): Promise<RunTimeline | null> {
  const run = await prisma.run.findFirst({
    where: { tenantId, id: runId },
    select: { id: true, status: true, channel: true, traceId: true, startedAt: true, finishedAt: true, routing: true, tokensUsed: true, costMicros: true, createdAt: true },
  });
  if (!run) return null;
  const [events, steps, toolCalls, approvals, usage] = await Promise.all([
    prisma.runEventRecord.findMany({ where: { tenantId, runId }, orderBy: { seq: 'asc' }, select: { seq: true, type: true, payload: true, createdAt: true } }),
    prisma.step.findMany({ where: { tenantId, runId }, orderBy: [{ planVersion: 'asc' }, { createdAt: 'asc' }], select: { id: true, key: true, tool: true, title: true, status: true, startedAt: true, finishedAt: true, createdAt: true } }),
    prisma.toolCall.findMany({ where: { tenantId, runId }, orderBy: { startedAt: 'asc' }, select: { stepId: true, tool: true, connectorId: true, status: true, attempts: true, durationMs: true, startedAt: true, finishedAt: true } }),
    prisma.approval.findMany({ where: { tenantId, runId }, orderBy: { createdAt: 'asc' }, select: { stepId: true, action: true, status: true, createdAt: true, decidedAt: true } }),
    prisma.usageLedger.findMany({ where: { tenantId, runId, kind: 'model' }, orderBy: { createdAt: 'asc' }, select: { tier: true, model: true, inputTokens: true, outputTokens: true, costMicros: true, createdAt: true } }),
  ]);
  return buildTimeline({ run, events, steps, toolCalls, approvals, usage });
}
