import type { ServerResponse } from 'node:http';
import type { RunEvent } from '../../events/runEvent.js';
import { RunCursor } from '../runView/runCursor.js';

/** Reads a run's stored events after a seq (RunEventLog.eventsSince). */
export type EventsSince = (tenantId: string, runId: string, afterSeq: number) => Promise<RunEvent[]>;

/** One open browser tab: a person looking at one of their threads. */
interface StreamClient {
  readonly userId: string;
  readonly threadId: string;
  readonly res: ServerResponse;
  /** Where each run stands for this tab: replay and live delivery never show an event twice or out of order. */
  readonly sent: Map<string, RunCursor>;
  /** Live events held back while the history is being replayed. */
  pending: RunEvent[] | null;
}

/**
 * Server-Sent Events fan-out for the playground. Holds only its open connections; run state lives in
 * the store and in the events themselves.
 */
export class EventStreams {
  private readonly clients = new Set<StreamClient>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor(
    keepAliveMs = 15_000,
    /** The stored log: a gap in live delivery (out of order, lost publish) is filled from it. */
    private readonly eventsSince?: EventsSince,
  ) {
    // Proxies close idle connections; a comment line keeps the stream open.
    this.keepAlive = setInterval(() => {
      for (const client of this.clients) client.res.write(': keep-alive\n\n');
    }, keepAliveMs);
    this.keepAlive.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Opens the stream; call `replay` with the history, which then flushes what arrived meanwhile. */
  open(res: ServerResponse, userId: string, threadId: string): { replay(history: readonly RunEvent[]): void } {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const client: StreamClient = { userId, threadId, res, sent: new Map(), pending: [] };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    return {
      replay: (history) => {
        for (const event of history) this.sendRun(client, event);
        const held = client.pending ?? [];
        client.pending = null;
        for (const event of held) this.sendRun(client, event);
        write(client.res, 'ready', { replayed: history.length });
      },
    };
  }

  /** Delivers a run event to the tab showing its thread, and approval hints to approvers' tabs. */
  dispatch(event: RunEvent, threadOf: (event: RunEvent) => { userId: string; threadId: string } | null): void {
    const target = threadOf(event);
    for (const client of this.clients) {
      if (target && client.userId === target.userId && client.threadId === target.threadId) {
        if (client.pending) client.pending.push(event);
        else this.sendRun(client, event);
      }
      if (event.type === 'approval.requested' && event.approvers.some((a) => a.userId === client.userId)) {
        write(client.res, 'approvals', { reason: 'requested', approvalId: event.approvalId });
      }
      if (event.type === 'approval.decided') write(client.res, 'approvals', { reason: 'decided', approvalId: event.approvalId });
    }
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const client of this.clients) client.res.end();
    this.clients.clear();
  }

  private sendRun(client: StreamClient, event: RunEvent): void {
    let cursor = client.sent.get(event.runId);
    if (!cursor) {
      cursor = new RunCursor(0);
      client.sent.set(event.runId, cursor);
    }
    for (const ready of cursor.offer([event])) write(client.res, 'run', ready);
    if (cursor.hasGap) void this.fillGap(client, event, cursor);
  }

  private async fillGap(client: StreamClient, event: RunEvent, cursor: RunCursor): Promise<void> {
    const stored = this.eventsSince ? await this.eventsSince(event.tenantId, event.runId, cursor.lastSeq).catch(() => []) : [];
    const ready = cursor.offer(stored);
    // Without the missing events in the store (or no store), the tab still gets what it has.
    if (cursor.hasGap) ready.push(...cursor.skipGap());
    for (const next of ready) write(client.res, 'run', next);
  }
}

function write(res: ServerResponse, type: string, data: unknown): void {
  res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}
