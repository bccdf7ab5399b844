import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { RunEvent } from '../../events/runEvent.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import type { Logger } from '../../core/logger.js';
import { slackAddressSchema, type SlackAddress } from './address.js';
import { linkAccountBlocks } from './approvalBlocks.js';
import type { ApprovalMessages } from './approvalMessages.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { RunView } from './runView.js';
import { StreamSink, UpdateSink, type ProgressSink } from './sinks.js';
import type { SlackClientProvider } from './webClients.js';
import { tenantKey } from '../../infra/keys.js';

/** A run's renderer is owned by one process; the claim is refreshed by each event and lapses if that process dies. */
const OWNER_TTL_MS = 10 * 60 * 1000;

interface RunRender {
  readonly address: SlackAddress;
  readonly client: WebClient;
  readonly view: RunView;
  sink: ProgressSink;
  /** Events of one run are handled strictly in order. */
  chain: Promise<void>;
}

export interface ProgressRendererDeps {
  readonly clients: SlackClientProvider;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly approvals: ApprovalMessages;
  readonly minEditIntervalMs: number;
  readonly minStreamIntervalMs: number;
}

/**
 * Turns RunEvents into Slack messages in the requester's thread (and approval DMs). State lives in
 * one map keyed by run id and is dropped when the run ends; nothing else is shared between runs.
 * When the event bus fans out to several processes, the first to claim a run renders it.
 */
export class SlackProgressRenderer {
  private readonly runs = new Map<string, RunRender>();
  private readonly adopting = new Map<string, Promise<RunRender | null>>();
  private readonly instance = randomUUID();

  constructor(private readonly deps: ProgressRendererDeps) {}

  /** Bus handler: never throws. */
  async handle(event: RunEvent): Promise<void> {
    if (event.reply.channel !== 'slack') return;
    try {
      const render = this.runs.get(event.runId) ?? (await this.adoptOnce(event));
      if (!render) return;
      render.chain = render.chain.then(() => this.apply(render, event)).catch((error: unknown) => {
        this.deps.logger.error({ err: error, runId: event.runId, type: event.type }, 'slack progress render failed');
      });
      await render.chain;
    } catch (error) {
      this.deps.logger.error({ err: error, runId: event.runId, type: event.type }, 'slack progress render failed');
    }
  }

  /** Waits for every run's pending Slack calls (tests, graceful shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.runs.values()].map(async (render) => {
      await render.chain;
      // A stream that fell back to edits swaps its sink while draining; wait for the new one too.
      let sink: ProgressSink;
      do {
        sink = render.sink;
        await sink.drained();
      } while (sink !== render.sink);
    }));
  }

  close(): void {
    for (const render of this.runs.values()) render.sink.close();
    this.runs.clear();
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  /** Concurrent first events of one run share a single claim attempt. */
  private async adoptOnce(event: RunEvent): Promise<RunRender | null> {
    const pending = this.adopting.get(event.runId);
    if (pending) return pending;
    const attempt = this.adopt(event).finally(() => this.adopting.delete(event.runId));
    this.adopting.set(event.runId, attempt);
    return attempt;
  }

  private async adopt(event: RunEvent): Promise<RunRender | null> {
    const address = slackAddressSchema.safeParse(event.reply.address);
    if (!address.success) {
      this.deps.logger.warn({ runId: event.runId }, 'slack run event without a usable address ignored');
      return null;
    }
    const ownerKey = this.ownerKey(event);
    if (!(await this.deps.kv.set(ownerKey, this.instance, { ttlMs: OWNER_TTL_MS, onlyIfAbsent: true }))) return null;
    const client = await this.deps.clients.forWorkspace(address.data.teamId, address.data.enterpriseId);
    const view = new RunView();
    const render: RunRender = { address: address.data, client, view, sink: this.updateSink(client, address.data, view), chain: Promise.resolve() };
    if (address.data.mode === 'stream') {
      render.sink = new StreamSink(client, address.data, this.deps.minStreamIntervalMs, this.deps.logger, (terminal) => {
        render.sink = this.updateSink(client, address.data, view);
        render.sink.push({ chunks: [], terminal });
      });
    }
    this.runs.set(event.runId, render);
    return render;
  }

  private updateSink(client: WebClient, address: SlackAddress, view: RunView): ProgressSink {
    return new UpdateSink(client, address, this.deps.minEditIntervalMs, this.deps.logger, () => view.render());
  }

  private async apply(render: RunRender, event: RunEvent): Promise<void> {
    const change = render.view.apply(event);
    if (!change) return;
    await this.deps.kv.set(this.ownerKey(event), this.instance, { ttlMs: OWNER_TTL_MS });
    render.sink.push(change);
    if (event.type === 'approval.requested') {
      const unreachable = await this.deps.approvals.send(event, render.address, render.client);
      if (unreachable.length > 0) {
        await render.client.chat.postMessage({
          channel: render.address.channel,
          thread_ts: render.address.threadTs,
          text: `I could not reach ${escapeMrkdwn(unreachable.join(', '))} in Slack. Your request stays pending until an approver decides.`,
        });
      }
    } else if (event.type === 'approval.decided') {
      await this.deps.approvals.settle(event, render.client);
    } else if (event.type === 'account.link_required') {
      await render.client.chat.postMessage({
        channel: render.address.channel,
        thread_ts: render.address.threadTs,
        text: `Please connect your ${escapeMrkdwn(event.connectorName)} account so I can act as you.`,
        blocks: linkAccountBlocks(event.connectorName, event.url),
      });
    }
    if (change.terminal) {
      // Later events of a finished run (replays) must not open a second message.
      await this.deps.kv.set(this.ownerKey(event), `done:${this.instance}`, { ttlMs: OWNER_TTL_MS });
      void (async () => {
        let sink: ProgressSink;
        do {
          sink = render.sink;
          await sink.drained();
        } while (sink !== render.sink);
        if (this.runs.get(event.runId) === render) this.runs.delete(event.runId);
      })();
    }
  }

  private ownerKey(event: RunEvent): string {
    return tenantKey(event.tenantId, 'slack', 'render', event.runId);
  }
}
