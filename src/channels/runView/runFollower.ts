import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { RunEvent } from '../../events/runEvent.js';
import type { RunEventLog } from '../../events/runEventLog.js';
import type { ChannelKind } from '../../gateway/turn.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import { tenantKey } from '../../infra/keys.js';
import { RunCursor } from './runCursor.js';
import { RunViewState, type ViewUpdate } from './runViewState.js';
import type { ApprovalDelivery } from './wording.js';
import { combineDeliveries, type ApproverOutreach } from './approverOutreach.js';

type ApprovalRequested = Extract<RunEvent, { type: 'approval.requested' }>;
type ApprovalDecided = Extract<RunEvent, { type: 'approval.decided' }>;
type ApprovalReminder = Extract<RunEvent, { type: 'approval.reminder' }>;

/** What a platform does with a run's view: the only platform-specific part of rendering. */
export interface RunSurface {
  /** Sends the approval cards; resolves who was reached (called before the view announces the wait). */
  requestApproval(event: ApprovalRequested): Promise<ApprovalDelivery>;
  /** Replaces every approver's card with the outcome. */
  settleApproval(event: ApprovalDecided): Promise<void>;
  /** Nudges the approvers who have not decided (the policy's reminder). */
  remindApprovers(event: ApprovalReminder): Promise<void>;
  /** Shows one applied event (the state already includes it). */
  show(event: RunEvent, update: ViewUpdate): Promise<void>;
  /** Resolves once everything shown so far was delivered or given up on. */
  drained(): Promise<void>;
  close(): void;
}

export interface RunFollowerDeps {
  readonly channel: ChannelKind;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  /** The stored event log; without it gaps are only waited out (tests of a bare channel). */
  readonly log?: RunEventLog;
  /** The platform surface for a run (null when the run's address is unusable). */
  open(event: RunEvent, state: RunViewState): Promise<RunSurface | null>;
  /** How long a gap the store cannot fill yet is waited for, per try. */
  readonly gapRetryMs?: number;
  readonly gapTries?: number;
  /** Periodic catch-up of open runs from the store (0 = only at start). */
  readonly sweepIntervalMs?: number;
  /** Finished runs younger than this are still caught up (their last events may have been missed). */
  readonly recentMs?: number;
  /** The other chat platforms: approvers are also reached there, whatever the requester's platform. */
  readonly elsewhere?: () => readonly ApproverOutreach[];
}

interface Followed {
  readonly tenantId: string;
  readonly runId: string;
  readonly cursor: RunCursor;
  readonly state: RunViewState;
  readonly surface: RunSurface;
  /** Events of one run are applied strictly one after another. */
  chain: Promise<void>;
  gapTimer?: NodeJS.Timeout;
  gapTries: number;
  done: boolean;
  /** Requests still waiting: offered again by the sweep to approvers who were not reachable yet. */
  readonly waiting: Map<string, ApprovalRequested>;
}

/** A run is rendered by one process; the claim is refreshed by each event and lapses if that process dies. */
const OWNER_TTL_MS = 10 * 60 * 1000;
/** The last rendered seq outlives the longest approval wait. */
const CURSOR_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Follows runs for one channel: live events are only a wake-up; each run's events are applied in
 * seq order, each once, from a cursor remembered in the shared store. A gap (out-of-order or lost
 * publish), a reconnect, a restart and the periodic sweep all read the missing events back from the
 * stored log, so no event — and no approval request — is ever skipped.
 */
export class RunFollower {
  private readonly runs = new Map<string, Followed>();
  private readonly adopting = new Map<string, Promise<Followed | null>>();
  private readonly instance = randomUUID();
  private readonly inflight = new Set<Promise<void>>();
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(private readonly deps: RunFollowerDeps) {}

  /** Bus handler: never throws; resolves when the event (and anything it unblocked) was applied. */
  async handle(event: RunEvent): Promise<void> {
    if (event.reply.channel !== this.deps.channel) return;
    const accepted = this.accept([event]);
    this.inflight.add(accepted);
    try {
      await accepted;
    } finally {
      this.inflight.delete(accepted);
    }
  }

  /** Startup and periodic catch-up: every open run whose stored events are ahead of what was rendered. */
  catchUp(): Promise<void> {
    this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  async start(): Promise<void> {
    await this.catchUp();
    const interval = this.deps.sweepIntervalMs ?? 30_000;
    if (interval > 0 && this.deps.log && !this.sweepTimer) {
      this.sweepTimer = setInterval(() => void this.catchUp(), interval);
      this.sweepTimer.unref();
    }
  }

  async idle(): Promise<void> {
    await this.sweeping;
    await Promise.all([...this.inflight]);
    await Promise.all([...this.runs.values()].map(async (run) => {
      await run.chain;
      await run.surface.drained();
    }));
  }

  close(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const run of this.runs.values()) {
      if (run.gapTimer) clearTimeout(run.gapTimer);
      run.surface.close();
    }
    this.runs.clear();
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  private async accept(events: readonly RunEvent[]): Promise<void> {
    const first = events[0];
    if (!first) return;
    try {
      const run = this.runs.get(first.runId) ?? (await this.adoptOnce(first));
      if (!run) return;
      await this.enqueue(run, () => this.offer(run, events));
    } catch (error) {
      this.deps.logger.error({ err: error, runId: first.runId, type: first.type }, `${this.deps.channel} run render failed`);
    }
  }

  private enqueue(run: Followed, work: () => Promise<void>): Promise<void> {
    run.chain = run.chain.then(work).catch((error: unknown) => {
      this.deps.logger.error({ err: error, runId: run.runId }, `${this.deps.channel} run render failed`);
    });
    return run.chain;
  }

  private async offer(run: Followed, events: readonly RunEvent[]): Promise<void> {
    if (run.done) return;
    // A run that waited long enough for its claim to lapse may have been taken by another process.
    if (!(await this.stillOwner(run))) {
      if (this.runs.get(run.runId) === run) this.runs.delete(run.runId);
      run.surface.close();
      run.done = true;
      return;
    }
    const ready = run.cursor.offer(events);
    if (run.cursor.hasGap && this.deps.log) {
      // Parallel steps publish out of order and a publish can be lost: the store has every event.
      ready.push(...run.cursor.offer(await this.deps.log.eventsSince(run.tenantId, run.runId, run.cursor.lastSeq)));
    }
    await this.applyAll(run, ready);
    if (run.cursor.hasGap && !run.done) this.waitForGap(run);
  }

  private waitForGap(run: Followed): void {
    if (run.gapTimer) return;
    run.gapTimer = setTimeout(() => {
      run.gapTimer = undefined;
      void this.enqueue(run, async () => {
        if (run.done || !run.cursor.hasGap) return;
        run.gapTries += 1;
        const stored = this.deps.log ? await this.deps.log.eventsSince(run.tenantId, run.runId, run.cursor.lastSeq) : [];
        let ready = run.cursor.offer(stored);
        if (run.cursor.hasGap && run.gapTries >= (this.deps.gapTries ?? 3)) {
          this.deps.logger.warn({ runId: run.runId, after: run.cursor.lastSeq }, 'run events missing from the store; rendering past the gap');
          ready = [...ready, ...run.cursor.skipGap()];
        }
        await this.applyAll(run, ready);
        if (run.cursor.hasGap && !run.done) this.waitForGap(run);
      });
    }, this.deps.gapRetryMs ?? 1_000);
    run.gapTimer.unref();
  }

  private async applyAll(run: Followed, events: readonly RunEvent[]): Promise<void> {
    for (const event of events) {
      if (run.done) return;
      await this.applyOne(run, event);
    }
  }

  private async applyOne(run: Followed, event: RunEvent): Promise<void> {
    let delivery: ApprovalDelivery | undefined;
    if (event.type === 'approval.requested') {
      delivery = await run.surface.requestApproval(event).catch((error: unknown) => {
        this.deps.logger.warn({ err: error, runId: run.runId, approvalId: event.approvalId }, 'approval cards could not be sent');
        return { asked: [], unreachable: event.approvers.map((approver) => ({ approver, where: this.deps.channel === 'teams' ? 'Microsoft Teams' : 'Slack' })) };
      });
      // The note is written once every platform had its chance: "could not reach" means nowhere.
      delivery = combineDeliveries(delivery, await this.requestElsewhere(event));
    }
    if (event.type === 'approval.escalated') {
      // The fallback approvers get the same request; those already asked are skipped by the surface.
      const asRequest: ApprovalRequested = { ...event, type: 'approval.requested', approvers: event.approvers };
      delivery = await run.surface.requestApproval(asRequest).catch(() => ({ asked: [], unreachable: [] }));
      delivery = combineDeliveries(delivery, await this.requestElsewhere(asRequest));
      const added = new Set(event.added.map((a) => a.userId));
      delivery = { asked: delivery.asked.filter((a) => added.has(a.userId)), unreachable: delivery.unreachable.filter((u) => added.has(u.approver.userId)) };
    }
    if (event.type === 'approval.reminder') {
      await run.surface.remindApprovers(event).catch((error: unknown) => this.deps.logger.warn({ err: error, approvalId: event.approvalId }, 'approval reminders could not be sent'));
      for (const other of this.others()) {
        await other.remind(event).catch((error: unknown) => this.deps.logger.warn({ err: error, approvalId: event.approvalId, where: other.where }, 'approval reminders could not be sent'));
      }
    }
    trackWaiting(run.waiting, event);
    const update = run.state.apply(event, delivery);
    await run.surface.show(event, update);
    if (event.type === 'approval.decided') {
      await run.surface.settleApproval(event).catch((error: unknown) => this.deps.logger.warn({ err: error, approvalId: event.approvalId }, 'approval cards could not be settled'));
      for (const other of this.others()) {
        await other.settle(event).catch((error: unknown) => this.deps.logger.warn({ err: error, approvalId: event.approvalId, where: other.where }, 'approval cards could not be settled'));
      }
    }
    if (update.terminal) run.done = true;
    await this.deps.kv.set(this.cursorKey(run.tenantId, run.runId), `${event.seq}${run.done ? ':done' : ''}`, { ttlMs: CURSOR_TTL_MS });
    await this.deps.kv.set(this.ownerKey(run.tenantId, run.runId), `${run.done ? 'done:' : ''}${this.instance}`, { ttlMs: OWNER_TTL_MS });
    if (run.done) {
      if (run.gapTimer) clearTimeout(run.gapTimer);
      void run.surface.drained().then(() => {
        if (this.runs.get(run.runId) === run) this.runs.delete(run.runId);
      });
    }
  }

  private others(): readonly ApproverOutreach[] {
    return this.deps.elsewhere?.() ?? [];
  }

  /** Asks every other platform; one that fails counts as having reached nobody. */
  private async requestElsewhere(event: ApprovalRequested): Promise<{ where: string; reached: ReadonlySet<string> }[]> {
    return Promise.all(this.others().map(async (other) => ({
      where: other.where,
      reached: await other.request(event).catch((error: unknown): ReadonlySet<string> => {
        this.deps.logger.warn({ err: error, approvalId: event.approvalId, where: other.where }, 'approval request could not be sent');
        return new Set<string>();
      }),
    })));
  }

  private async stillOwner(run: Followed): Promise<boolean> {
    const key = this.ownerKey(run.tenantId, run.runId);
    const owner = await this.deps.kv.get(key);
    if (owner === this.instance) return true;
    if (owner !== null) return false;
    return this.deps.kv.set(key, this.instance, { ttlMs: OWNER_TTL_MS, onlyIfAbsent: true });
  }

  /** Concurrent first events of one run share a single claim attempt. */
  private adoptOnce(event: RunEvent): Promise<Followed | null> {
    const pending = this.adopting.get(event.runId);
    if (pending) return pending;
    const attempt = this.adopt(event).finally(() => this.adopting.delete(event.runId));
    this.adopting.set(event.runId, attempt);
    return attempt;
  }

  private async adopt(event: RunEvent): Promise<Followed | null> {
    const { kv, log } = this.deps;
    const cursor = parseCursor(await kv.get(this.cursorKey(event.tenantId, event.runId)));
    if (cursor.done) return null;
    const ownerKey = this.ownerKey(event.tenantId, event.runId);
    if (!(await kv.set(ownerKey, this.instance, { ttlMs: OWNER_TTL_MS, onlyIfAbsent: true }))) return null;
    const state = new RunViewState();
    const waiting = new Map<string, ApprovalRequested>();
    // What an earlier process already rendered is rebuilt silently: the view continues, nothing is sent twice.
    if (cursor.seq > 0 && log) {
      for (const past of await log.eventsSince(event.tenantId, event.runId, 0)) {
        if (past.seq > cursor.seq) continue;
        state.apply(past);
        trackWaiting(waiting, past);
      }
    }
    const surface = await this.deps.open(event, state).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, runId: event.runId }, `${this.deps.channel} run surface could not be opened`);
      return null;
    });
    if (!surface) {
      await kv.delete(ownerKey);
      return null;
    }
    const run: Followed = { tenantId: event.tenantId, runId: event.runId, cursor: new RunCursor(cursor.seq), state, surface, chain: Promise.resolve(), gapTries: 0, done: false, waiting };
    this.runs.set(event.runId, run);
    return run;
  }

  private async sweep(): Promise<void> {
    const { log } = this.deps;
    if (!log) return;
    try {
      for (const open of await log.openRuns(this.deps.channel, this.deps.recentMs ?? 15 * 60 * 1000)) {
        const known = this.runs.get(open.runId);
        const rendered = known ? known.cursor.lastSeq : parseCursor(await this.deps.kv.get(this.cursorKey(open.tenantId, open.runId)));
        const seq = typeof rendered === 'number' ? rendered : rendered.done ? Number.POSITIVE_INFINITY : rendered.seq;
        if (seq >= open.lastSeq) continue;
        const missed = await log.eventsSince(open.tenantId, open.runId, Number.isFinite(seq) ? seq : 0);
        if (missed[0]?.reply.channel !== this.deps.channel) continue;
        await this.accept(missed);
      }
      await this.reofferWaiting();
    } catch (error) {
      this.deps.logger.warn({ err: error, channel: this.deps.channel }, 'run catch-up from the store failed');
    }
  }

  /**
   * Approvers nobody could reach when a request was made (no Slack account found, no Teams chat yet)
   * get it once they become reachable: the surfaces send each approver a request at most once.
   */
  private async reofferWaiting(): Promise<void> {
    await Promise.all([...this.runs.values()].filter((run) => run.waiting.size > 0 && !run.done).map((run) => this.enqueue(run, async () => {
      for (const request of run.waiting.values()) {
        if (Date.parse(request.expiresAt) <= Date.now()) continue;
        await run.surface.requestApproval(request).catch((error: unknown) => this.deps.logger.debug({ err: error, approvalId: request.approvalId }, 'approval re-offer failed'));
        await this.requestElsewhere(request);
      }
    })));
  }

  private ownerKey(tenantId: string, runId: string): string {
    return tenantKey(tenantId, this.deps.channel, 'render', runId);
  }

  private cursorKey(tenantId: string, runId: string): string {
    return tenantKey(tenantId, this.deps.channel, 'rendered', runId);
  }
}

function parseCursor(raw: string | null): { seq: number; done: boolean } {
  if (!raw) return { seq: 0, done: false };
  const [seq, done] = raw.split(':');
  const n = Number(seq);
  return { seq: Number.isFinite(n) && n > 0 ? n : 0, done: done === 'done' };
}

function trackWaiting(waiting: Map<string, ApprovalRequested>, event: RunEvent): void {
  if (event.type === 'approval.requested') waiting.set(event.approvalId, event);
  else if (event.type === 'approval.escalated') waiting.set(event.approvalId, { ...event, type: 'approval.requested' });
  else if (event.type === 'approval.decided') waiting.delete(event.approvalId);
  else if (event.type === 'run.completed' || event.type === 'run.failed') waiting.clear();
}
