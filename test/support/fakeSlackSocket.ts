import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { acceptWebSocket, type WebSocketClose, type WebSocketPeer } from './webSocketServer.js';

/**
 * Slack's Socket Mode endpoint, locally: apps.connections.open (on the fake Web API) hands out
 * single-use `ws://…/link/?ticket=…` URLs; a connection with a valid ticket gets Slack's `hello`,
 * then the test pushes envelopes (`events_api`, `interactive`) and reads the client's acks
 * (`{ envelope_id, payload? }`) with their latency, measured from the moment the envelope was written.
 */

export type SocketEnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

export interface SocketDelivery {
  readonly type: SocketEnvelopeType;
  readonly payload: Record<string, unknown>;
  /** A fresh id unless given; Slack gives every delivery (redeliveries included) its own. */
  readonly envelopeId?: string;
  /** Redeliveries of an Events API event carry the attempt number and why (e.g. 'timeout'). */
  readonly retryAttempt?: number;
  readonly retryReason?: string;
}

export interface SocketAck {
  readonly envelopeId: string;
  /** Milliseconds from writing the envelope to reading its ack. */
  readonly ms: number;
  /** The client's message as sent. */
  readonly message: Record<string, unknown>;
}

export interface SocketConnectionRecord {
  /** 1-based, in the order connections were accepted. */
  readonly index: number;
  readonly ticket: string;
  /** Resolves when this connection has gone, with how it ended. */
  readonly closed: Promise<WebSocketClose>;
}

export interface FakeSlackSocket {
  /** What apps.connections.open answers: a new single-use link. */
  openConnection(): string;
  /** Every connection accepted so far (hello sent), oldest first. */
  connections(): SocketConnectionRecord[];
  /** Connections still open. */
  readonly openConnections: number;
  /** Resolves when the `count`-th connection has been accepted and greeted. */
  waitForConnection(count: number, timeoutMs?: number): Promise<SocketConnectionRecord>;
  /** Writes an envelope on the newest open connection; `acked` resolves with the client's ack. */
  deliver(delivery: SocketDelivery, ackTimeoutMs?: number): { readonly envelopeId: string; readonly acked: Promise<SocketAck> };
  /** Slack's `disconnect` message (e.g. reason 'refresh_requested' before a server is recycled). */
  requestReconnect(reason?: string): void;
  /** From now on the server ignores close frames, so the client's close handshake never completes. */
  stallCloseHandshakes(): void;
  /** Every message the client has sent, in order. */
  received(): Record<string, unknown>[];
  /** Tickets presented that were unknown or already used. */
  readonly refusedTickets: number;
  stop(): Promise<void>;
}

export async function startFakeSlackSocket(options: { appId?: string } = {}): Promise<FakeSlackSocket> {
  const appId = options.appId ?? 'A0SWITCH';
  const tickets = new Set<string>();
  const peers: { record: SocketConnectionRecord; peer: WebSocketPeer }[] = [];
  const received: Record<string, unknown>[] = [];
  /** Envelopes written and not yet acked: envelope id → when. */
  const awaitingAck = new Map<string, number>();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(1000);
  let refusedTickets = 0;
  let answerCloseFrames = true;

  const server: Server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Socket Mode only');
  });
  server.on('upgrade', (req, socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      refusedTickets += 1;
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const peer = acceptWebSocket(req, socket, head);
    if (!peer) return;
    peer.answerCloseFrames = answerCloseFrames;
    const record: SocketConnectionRecord = { index: peers.length + 1, ticket, closed: peer.closed };
    peers.push({ record, peer });
    peer.onText((text) => onClientMessage(text));
    peer.sendText(JSON.stringify({
      type: 'hello',
      num_connections: peers.filter((p) => p.peer.isOpen).length,
      debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: appId },
    }));
    emitter.emit('connection', record);
  });

  function onClientMessage(text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      received.push({ unparsable: text });
      return;
    }
    received.push(message);
    const envelopeId = typeof message.envelope_id === 'string' ? message.envelope_id : undefined;
    const started = envelopeId === undefined ? undefined : awaitingAck.get(envelopeId);
    if (envelopeId === undefined || started === undefined) return;
    awaitingAck.delete(envelopeId);
    emitter.emit('ack', { envelopeId, ms: performance.now() - started, message } satisfies SocketAck);
  }

  function newestOpen(): WebSocketPeer {
    const open = peers.filter((p) => p.peer.isOpen).at(-1);
    if (!open) throw new Error('no open Socket Mode connection');
    return open.peer;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    openConnection() {
      const ticket = randomUUID();
      tickets.add(ticket);
      // Like Slack's link URLs: the ticket authenticates the connection; the token never travels in it.
      return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${appId}`;
    },
    connections: () => peers.map((p) => p.record),
    get openConnections() {
      return peers.filter((p) => p.peer.isOpen).length;
    },
    get refusedTickets() {
      return refusedTickets;
    },
    waitForConnection(count, timeoutMs = 10_000) {
      const existing = peers[count - 1];
      if (existing) return Promise.resolve(existing.record);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          emitter.off('connection', listener);
          reject(new Error(`Socket Mode connection #${count} not made within ${timeoutMs} ms (${peers.length} so far)`));
        }, timeoutMs);
        function listener(record: SocketConnectionRecord): void {
          if (record.index < count) return;
          clearTimeout(timer);
          emitter.off('connection', listener);
          resolve(record);
        }
        emitter.on('connection', listener);
      });
    },
    deliver(delivery, ackTimeoutMs = 5_000) {
      const envelopeId = delivery.envelopeId ?? randomUUID();
      const envelope = {
        envelope_id: envelopeId,
        type: delivery.type,
        accepts_response_payload: false,
        payload: delivery.payload,
        ...(delivery.retryAttempt !== undefined ? { retry_attempt: delivery.retryAttempt } : {}),
        ...(delivery.retryReason !== undefined ? { retry_reason: delivery.retryReason } : {}),
      };
      const peer = newestOpen();
      // Listen before writing: a local client can ack before this function returns.
      const acked = new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          emitter.off('ack', listener);
          reject(new Error(`envelope ${envelopeId} (${delivery.type}) not acked within ${ackTimeoutMs} ms`));
        }, ackTimeoutMs);
        function listener(ack: SocketAck): void {
          if (ack.envelopeId !== envelopeId) return;
          clearTimeout(timer);
          emitter.off('ack', listener);
          resolve(ack);
        }
        emitter.on('ack', listener);
      });
      awaitingAck.set(envelopeId, performance.now());
      peer.sendText(JSON.stringify(envelope));
      return { envelopeId, acked };
    },
    requestReconnect(reason = 'refresh_requested') {
      newestOpen().sendText(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } }));
    },
    stallCloseHandshakes() {
      answerCloseFrames = false;
      for (const { peer } of peers) peer.answerCloseFrames = false;
    },
    received: () => [...received],
    async stop() {
      for (const { peer } of peers) peer.terminate();
      await Promise.all(peers.map((p) => p.record.closed));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
