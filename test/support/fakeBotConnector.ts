import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';

/**
 * A local Bot Connector service (what Teams exposes at an activity's serviceUrl): a real HTTP server
 * answering the v3 conversation routes the Agents SDK calls, keeping message state (posts, edits,
 * streams) so tests can read a chat, recording every call, checking the Teams streaming protocol,
 * and answering 429/412/5xx on demand.
 */

export interface ConnectorCall {
  readonly method: string;
  readonly path: string;
  readonly conversationId?: string;
  /** The activity id in the path (replies and updates). */
  readonly activityId?: string;
  readonly body: Record<string, unknown> | undefined;
  readonly authorization?: string;
  /** HTTP status the fake answered with. */
  readonly status: number;
}

export interface ConnectorMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly replyToId?: string;
  type: string;
  text: string;
  attachments: Record<string, unknown>[];
  edits: number;
  /** Streamed messages only: every streaminfo entity received, in order. */
  stream: { streamType: string; streamSequence: number; text: string }[];
  streamState: 'none' | 'open' | 'final';
}

export interface ConnectorMember {
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
  readonly email?: string;
  readonly userPrincipalName?: string;
}

export interface FailureSpec {
  readonly status: number;
  readonly times?: number;
  readonly retryAfterSeconds?: number;
  /** Only calls matching this fail (default: any activity send or update). */
  readonly match?: (call: { method: string; path: string; body: Record<string, unknown> | undefined }) => boolean;
}

export interface FakeBotConnector {
  /** serviceUrl for activities (with the trailing slash Teams uses). */
  readonly url: string;
  addMember(member: ConnectorMember): void;
  calls(filter?: (call: ConnectorCall) => boolean): ConnectorCall[];
  waitForCall(predicate: (call: ConnectorCall) => boolean, timeoutMs?: number): Promise<ConnectorCall>;
  messages(conversationId?: string): ConnectorMessage[];
  message(id: string): ConnectorMessage | undefined;
  /** Conversations created through POST /v3/conversations, with their parameters. */
  readonly created: { id: string; params: Record<string, unknown> }[];
  /** Streaming protocol violations seen (sequence not increasing, text not extending, chunks after final). */
  readonly violations: string[];
  failNext(spec: FailureSpec): void;
  stop(): Promise<void>;
}

interface StreamInfo {
  streamType: string;
  streamSequence: number;
  streamId?: string;
}

function streamInfoOf(body: Record<string, unknown> | undefined): StreamInfo | undefined {
  const entities = Array.isArray(body?.entities) ? (body.entities as Record<string, unknown>[]) : [];
  const info = entities.find((e) => typeof e.type === 'string' && e.type.toLowerCase() === 'streaminfo');
  if (!info) return undefined;
  return {
    streamType: String(info.streamType ?? 'streaming'),
    streamSequence: Number(info.streamSequence ?? 0),
    ...(typeof info.streamId === 'string' ? { streamId: info.streamId } : {}),
  };
}

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const messages = new Map<string, ConnectorMessage>();
  const members = new Map<string, ConnectorMember>();
  const created: { id: string; params: Record<string, unknown> }[] = [];
  const violations: string[] = [];
  const failures: { spec: FailureSpec; left: number }[] = [];
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  let counter = 0;
  const nextId = (prefix: string): string => `${prefix}-${++counter}`;

  const record = (call: ConnectorCall): void => {
    calls.push(call);
    emitter.emit('call', call);
  };

  const takeFailure = (method: string, path: string, body: Record<string, unknown> | undefined): FailureSpec | undefined => {
    const isActivityWrite = /\/activities/.test(path) && (method === 'POST' || method === 'PUT');
    const entry = failures.find((f) => f.left > 0 && (f.spec.match ? f.spec.match({ method, path, body }) : isActivityWrite));
    if (!entry) return undefined;
    entry.left -= 1;
    return entry.spec;
  };

  const applyStream = (message: ConnectorMessage, info: StreamInfo, text: string): void => {
    const last = message.stream[message.stream.length - 1];
    if (message.streamState === 'final') violations.push(`${message.id}: ${info.streamType} after final`);
    if (last && info.streamSequence <= last.streamSequence) violations.push(`${message.id}: streamSequence ${info.streamSequence} after ${last.streamSequence}`);
    const lastStreamed = [...message.stream].reverse().find((s) => s.streamType === 'streaming');
    if (info.streamType === 'streaming' && lastStreamed && !text.startsWith(lastStreamed.text)) violations.push(`${message.id}: streamed text does not extend the previous chunk`);
    if (info.streamType === 'informative' && text.length > 1000) violations.push(`${message.id}: informative update over 1000 characters`);
    message.stream.push({ streamType: info.streamType, streamSequence: info.streamSequence, text });
    if (info.streamType === 'final') {
      message.streamState = 'final';
      message.type = 'message';
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const path = url.pathname.replace(/\/{2,}/g, '/');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const authorization = req.headers.authorization;
    const answer = (status: number, payload: unknown, extra: Partial<ConnectorCall> = {}, headers: Record<string, string> = {}): void => {
      record({ method, path, body, status, ...(authorization ? { authorization } : {}), ...extra });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return answer(404, { error: { code: 'NotFound', message: 'unknown route' } });
    const conversationId = parts[2];
    const activityId = parts[4];
    const failure = takeFailure(method, path, body);
    if (failure) {
      return answer(
        failure.status,
        { error: { code: failure.status === 429 ? 'Throttled' : 'ServiceError', message: 'injected failure' } },
        { ...(conversationId ? { conversationId } : {}), ...(activityId ? { activityId } : {}) },
        failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {},
      );
    }
    if (method === 'POST' && parts.length === 2) {
      const id = nextId('a:conv');
      created.push({ id, params: body ?? {} });
      return answer(201, { id, serviceUrl: `http://${req.headers.host}/` });
    }
    if (!conversationId) return answer(404, { error: { code: 'NotFound', message: 'no conversation' } });
    const ids = { conversationId, ...(activityId ? { activityId } : {}) };
    if (method === 'GET' && parts[3] === 'members' && parts[4]) {
      const member = members.get(parts[4]) ?? [...members.values()].find((m) => m.aadObjectId === parts[4]);
      if (!member) return answer(404, { error: { code: 'MemberNotFoundInConversation', message: 'member not found' } }, { conversationId });
      return answer(200, { ...member, objectId: member.aadObjectId, tenantId: 'tenant' }, { conversationId });
    }
    if (parts[3] !== 'activities') return answer(404, { error: { code: 'NotFound', message: 'unknown route' } }, ids);
    const text = typeof body?.text === 'string' ? body.text : '';
    const attachments = Array.isArray(body?.attachments) ? (body.attachments as Record<string, unknown>[]) : [];
    if (method === 'PUT' && activityId) {
      const existing = messages.get(activityId);
      if (!existing || existing.conversationId !== conversationId) return answer(404, { error: { code: 'ActivityNotFound', message: 'unknown activity' } }, ids);
      existing.text = text;
      existing.attachments = attachments;
      existing.edits += 1;
      return answer(200, { id: activityId }, ids);
    }
    if (method === 'DELETE' && activityId) {
      messages.delete(activityId);
      return answer(200, undefined, ids);
    }
    if (method !== 'POST') return answer(405, { error: { code: 'MethodNotAllowed', message: method } }, ids);
    const info = streamInfoOf(body);
    if (info?.streamId) {
      const streamed = messages.get(info.streamId);
      if (!streamed) return answer(404, { error: { code: 'BadArgument', message: 'unknown streamId' } }, ids);
      applyStream(streamed, info, text);
      streamed.text = text || streamed.text;
      if (attachments.length > 0) streamed.attachments = attachments;
      return answer(201, { id: streamed.id }, ids);
    }
    const id = nextId('act');
    const message: ConnectorMessage = {
      id,
      conversationId,
      ...(activityId ? { replyToId: activityId } : {}),
      type: String(body?.type ?? 'message'),
      text,
      attachments,
      edits: 0,
      stream: [],
      streamState: info ? 'open' : 'none',
    };
    if (info) {
      if (info.streamType === 'final' ) violations.push(`${id}: final without a stream`);
      applyStream(message, info, text);
    }
    messages.set(id, message);
    return answer(201, { id }, ids);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'FakeFailure', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    created,
    violations,
    addMember: (member) => void members.set(member.id, member),
    calls: (filter) => (filter ? calls.filter(filter) : [...calls]),
    waitForCall(predicate, timeoutMs = 10_000) {
      const found = calls.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onCall = (call: ConnectorCall): void => {
          if (!predicate(call)) return;
          clearTimeout(timer);
          emitter.off('call', onCall);
          resolve(call);
        };
        const timer = setTimeout(() => {
          emitter.off('call', onCall);
          reject(new Error(`no matching Bot Connector call within ${timeoutMs} ms; saw: ${calls.map((c) => `${c.method} ${c.path} ${c.status}`).join(', ')}`));
        }, timeoutMs);
        emitter.on('call', onCall);
      });
    },
    messages: (conversationId) => [...messages.values()].filter((m) => conversationId === undefined || m.conversationId === conversationId),
    message: (id) => messages.get(id),
    failNext: (spec) => void failures.push({ spec, left: spec.times ?? 1 }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
