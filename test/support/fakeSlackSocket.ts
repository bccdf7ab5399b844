import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * Slack's Socket Mode endpoint, locally: apps.connections.open (on the fake Web API) hands out
 * single-use `ws://…/link/?ticket=…` URLs; a connection with a valid ticket gets Slack's `hello`,
 * then the test pushes envelopes (`events_api`, `interactive`) and reads the client's acks
 * (`{ envelope_id, payload? }`) with their latency, measured from the moment the envelope was written.
 * The WebSocket protocol (handshake, framing, ping → pong, close handshake) is the `ws` package's.
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

export interface WebSocketClose {
  /** Status code from the client's close frame; undefined when there was none or it carried no code. */
  readonly code: number | undefined;
  readonly reason: string;
  /** Who sent the first close frame ('network' when the connection ended without one). */
  readonly initiatedBy: 'client' | 'server' | 'network';
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
  /**
   * Stalls the connections open now, so the client's close handshake never completes: nothing the
   * server writes on them reaches the client any more (the answer to its close frame included) and
   * the server never closes TCP first, while everything the client sends is still read and recorded
   * (so its close code still shows in `closed`). They end when the client drops them. Connections
   * made later are not stalled; delivering on a stalled one throws.
   */
  stallCloseHandshakes(): void;
  /** Every message the client has sent, in order. */
  received(): Record<string, unknown>[];
  /** Tickets presented that were unknown or already used. */
  readonly refusedTickets: number;
  stop(): Promise<void>;
}

/**
 * The byte stream `ws` runs a connection over: the upgraded TCP socket, with a switch that cuts off
 * the server's half. This is how a Slack that never answers the close frame is simulated, because
 * `ws` itself always answers one at once and has no option not to (`autoPong: false` only stops
 * pong replies; `skipUTF8Validation` only skips a check). Rather than reaching into the `ws`
 * instance or parsing frames by hand, the stall happens one layer below `ws`, which accepts any
 * Duplex as the connection (handleUpgrade's `socket`): once `stalled`, what `ws` writes (its close
 * frame) is discarded and its `end()` is not passed on, so the client's close frame goes
 * unanswered on a TCP connection that stays up, while the client's bytes still reach `ws`, which
 * records its close code. When the client gives up and drops TCP, the connection ends as usual.
 */
class StallableSocket extends Duplex {
  stalled = false;

  constructor(private readonly socket: Duplex) {
    super();
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => {
      this.push(null);
      // Upgraded sockets allow half-open connections; once the client's side is gone, so is ours
      // (what `ws` does too, unless this link is stalled).
      socket.end();
    });
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.stalled) callback();
    else this.socket.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.stalled) this.socket.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}

interface Peer {
  readonly record: SocketConnectionRecord;
  readonly ws: WebSocket;
  readonly link: StallableSocket;
}

export async function startFakeSlackSocket(options: { appId?: string } = {}): Promise<FakeSlackSocket> {
  const appId = options.appId ?? 'A0SWITCH';
  const tickets = new Set<string>();
  const peers: Peer[] = [];
  const received: Record<string, unknown>[] = [];
  /** Envelopes written and not yet acked: envelope id → when. */
  const awaitingAck = new Map<string, number>();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(1000);
  let refusedTickets = 0;

  // No extensions are negotiated (permessage-deflate is off by default on a ws server), so frames
  // on the wire are never compressed.
  const wss = new WebSocketServer({ noServer: true, clientTracking: false });
  const server: Server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Socket Mode only');
  });
  server.on('upgrade', (req, socket, head: Buffer) => {
    // A client vanishing mid-test shows up in `closed`, not as an unhandled error.
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      refusedTickets += 1;
      // Refused before `ws` sees the request, as ws's README does for authentication.
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const link = new StallableSocket(socket);
    wss.handleUpgrade(req, link, head, (ws) => accept(ws, link, ticket));
  });

  function accept(ws: WebSocket, link: StallableSocket, ticket: string): void {
    // `ws` emits 'error' only when it fails the connection itself (a protocol error by the client),
    // after sending its own close frame.
    let failed = false;
    ws.on('error', () => {
      failed = true;
    });
    const closed = new Promise<WebSocketClose>((resolve) => {
      ws.once('close', (code, reason) => {
        // 1005: a close frame without a status code; 1006: no close frame at all.
        resolve({
          code: code === 1005 || code === 1006 ? undefined : code,
          reason: reason.toString('utf8'),
          initiatedBy: failed ? 'server' : code === 1006 ? 'network' : 'client',
        });
      });
    });
    ws.on('message', (data, isBinary) => {
      // A Buffer, binaryType being the default 'nodebuffer'.
      if (!isBinary) onClientMessage((data as Buffer).toString('utf8'));
    });
    const record: SocketConnectionRecord = { index: peers.length + 1, ticket, closed };
    peers.push({ record, ws, link });
    ws.send(JSON.stringify({
      type: 'hello',
      num_connections: openPeers().length,
      debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: appId },
    }));
    emitter.emit('connection', record);
  }

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

  function openPeers(): Peer[] {
    return peers.filter((p) => p.ws.readyState === WebSocket.OPEN);
  }

  /** Sends on the newest open connection. */
  function sendToNewest(message: Record<string, unknown>): void {
    const peer = openPeers().at(-1);
    if (!peer) throw new Error('no open Socket Mode connection');
    if (peer.link.stalled) throw new Error('the newest Socket Mode connection is stalled: nothing sent on it reaches the client');
    peer.ws.send(JSON.stringify(message));
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
      return openPeers().length;
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
      sendToNewest(envelope);
      return { envelopeId, acked };
    },
    requestReconnect(reason = 'refresh_requested') {
      sendToNewest({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } });
    },
    stallCloseHandshakes() {
      for (const peer of openPeers()) peer.link.stalled = true;
    },
    received: () => [...received],
    async stop() {
      for (const { ws } of peers) ws.terminate();
      await Promise.all(peers.map((p) => p.record.closed));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
