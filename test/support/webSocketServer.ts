import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The server side of one RFC 6455 WebSocket connection, just enough for protocol-level tests: the
 * opening handshake, text frames (fragmented or not), ping → pong, and the close handshake. Written
 * here because the product has no WebSocket server dependency (@slack/socket-mode's client is
 * undici's WebSocket), and a test that owns every frame can also check what the client sends.
 * No extensions are negotiated, so frames are never compressed.
 */

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface WebSocketClose {
  /** Status code from the close frame; undefined when the TCP connection ended without one. */
  readonly code: number | undefined;
  readonly reason: string;
  /** Who sent the first close frame ('network' when the connection dropped without a handshake). */
  readonly initiatedBy: 'client' | 'server' | 'network';
}

export interface WebSocketPeer {
  sendText(text: string): void;
  /** Starts the close handshake from the server side. */
  close(code?: number, reason?: string): void;
  /** Drops the TCP connection without a handshake. */
  terminate(): void;
  readonly isOpen: boolean;
  /** False makes this end ignore the client's close frame, like a peer that has stalled. */
  answerCloseFrames: boolean;
  onText(listener: (text: string) => void): void;
  /** Resolves once the connection is gone, telling how it ended. */
  readonly closed: Promise<WebSocketClose>;
}

/**
 * Completes the opening handshake for an `upgrade` request, or answers 400 and returns null when
 * the request is not a valid version-13 WebSocket upgrade.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): WebSocketPeer | null {
  const key = req.headers['sec-websocket-key'];
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  if (req.method !== 'GET' || upgrade !== 'websocket' || req.headers['sec-websocket-version'] !== '13' || typeof key !== 'string' || key === '') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return null;
  }
  const accept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  return new Peer(socket, head);
}

class Peer implements WebSocketPeer {
  private buffered = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode: number | undefined;
  private readonly listeners: ((text: string) => void)[] = [];
  private closeSent = false;
  private closeReceived: { code: number | undefined; reason: string } | undefined;
  private initiatedBy: WebSocketClose['initiatedBy'] = 'network';
  private ended = false;
  answerCloseFrames = true;
  readonly closed: Promise<WebSocketClose>;

  constructor(private readonly socket: Duplex, head: Buffer) {
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.ended = true;
        resolve({ code: this.closeReceived?.code, reason: this.closeReceived?.reason ?? '', initiatedBy: this.initiatedBy });
      });
    });
    // A peer vanishing mid-test is reported through `closed`, not as an unhandled error.
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // Upgraded sockets allow half-open connections; once the client's side is gone, so is ours.
    socket.on('end', () => socket.end());
    if (head.length > 0) this.receive(head);
  }

  get isOpen(): boolean {
    return !this.ended && !this.closeSent && this.closeReceived === undefined;
  }

  onText(listener: (text: string) => void): void {
    this.listeners.push(listener);
  }

  sendText(text: string): void {
    if (!this.isOpen) throw new Error('WebSocket is not open');
    this.socket.write(encodeFrame(Opcode.text, Buffer.from(text, 'utf8')));
  }

  close(code = 1000, reason = ''): void {
    if (this.closeSent || this.ended) return;
    if (this.closeReceived === undefined) this.initiatedBy = 'server';
    this.sendClose(code, reason);
  }

  terminate(): void {
    this.socket.destroy();
  }

  private sendClose(code: number | undefined, reason: string): void {
    this.closeSent = true;
    const payload = code === undefined ? Buffer.alloc(0) : Buffer.concat([u16(code), Buffer.from(reason, 'utf8')]);
    this.socket.write(encodeFrame(Opcode.close, payload));
  }

  private receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const frame = decodeFrame(this.buffered);
      if (frame === 'incomplete') return;
      if (frame === 'unmasked') {
        // RFC 6455 §5.1: a server must close the connection on an unmasked client frame.
        this.fail(1002, 'client frames must be masked');
        return;
      }
      this.buffered = this.buffered.subarray(frame.length);
      this.handle(frame.fin, frame.opcode, frame.payload);
    }
  }

  private handle(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case Opcode.ping:
        if (!this.closeSent) this.socket.write(encodeFrame(Opcode.pong, payload));
        return;
      case Opcode.pong:
        return;
      case Opcode.close: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
        this.closeReceived = { code, reason: payload.subarray(2).toString('utf8') };
        if (!this.closeSent) this.initiatedBy = 'client';
        if (!this.answerCloseFrames) return;
        if (!this.closeSent) this.sendClose(code, '');
        // The server closes TCP first once both close frames have been exchanged (RFC 6455 §7.1.1).
        this.socket.end();
        return;
      }
      case Opcode.text:
      case Opcode.binary:
        if (fin) return this.deliver(opcode, payload);
        this.fragmentOpcode = opcode;
        this.fragments = [payload];
        return;
      case Opcode.continuation:
        if (this.fragmentOpcode === undefined) return this.fail(1002, 'continuation without a first fragment');
        this.fragments.push(payload);
        if (fin) {
          const whole = Buffer.concat(this.fragments);
          const first = this.fragmentOpcode;
          this.fragments = [];
          this.fragmentOpcode = undefined;
          this.deliver(first, whole);
        }
        return;
      default:
        this.fail(1002, `unknown opcode ${opcode}`);
    }
  }

  private deliver(opcode: number, payload: Buffer): void {
    if (opcode !== Opcode.text) return;
    const text = payload.toString('utf8');
    for (const listener of this.listeners) listener(text);
  }

  private fail(code: number, reason: string): void {
    this.initiatedBy = 'server';
    if (!this.closeSent) this.sendClose(code, reason);
    this.socket.end();
  }
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value, 0);
  return out;
}

/** Server frames are never masked and never fragmented here. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x80 | opcode, length]);
  } else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  header[0] = 0x80 | opcode;
  return Buffer.concat([header, payload]);
}

type DecodedFrame = { readonly fin: boolean; readonly opcode: number; readonly payload: Buffer; readonly length: number };

function decodeFrame(data: Buffer): DecodedFrame | 'incomplete' | 'unmasked' {
  if (data.length < 2) return 'incomplete';
  const first = data[0] as number;
  const second = data[1] as number;
  if ((second & 0x80) === 0) return 'unmasked';
  let offset = 2;
  let length = second & 0x7f;
  if (length === 126) {
    if (data.length < offset + 2) return 'incomplete';
    length = data.readUInt16BE(offset);
    offset += 2;
  } else if (length === 127) {
    if (data.length < offset + 8) return 'incomplete';
    length = Number(data.readBigUInt64BE(offset));
    offset += 8;
  }
  if (data.length < offset + 4 + length) return 'incomplete';
  const mask = data.subarray(offset, offset + 4);
  offset += 4;
  const payload = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) payload[i] = (data[offset + i] as number) ^ (mask[i % 4] as number);
  return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, length: offset + length };
}
