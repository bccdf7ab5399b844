import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { parse as parseQuery } from 'node:querystring';

/**
 * A local Slack Web API: a real HTTP server answering the methods Switchboard calls with Slack's
 * response shapes, recording every call, and able to answer 429 + Retry-After or a platform error
 * on demand. It also keeps message state (posts, edits, streams) so tests can read the thread.
 */

export interface FakeSlackUser {
  readonly id: string;
  readonly teamId: string;
  readonly email?: string;
  readonly name: string;
  readonly isBot?: boolean;
  readonly deleted?: boolean;
}

export interface RecordedCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly token: string | undefined;
  readonly at: number;
  /** HTTP status the fake answered with. */
  readonly status: number;
}

export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs?: string;
  text: string;
  blocks: unknown[];
  /** Streams only: every chunk appended, in order. */
  chunks: Record<string, unknown>[];
  streaming: 'none' | 'open' | 'stopped';
  edits: number;
}

type Failure =
  | { readonly kind: 'ratelimit'; readonly retryAfterSeconds: number }
  | { readonly kind: 'error'; readonly error: string }
  /** An HTTP-level failure (Slack having a bad moment: 500, 503), not a platform error. */
  | { readonly kind: 'unavailable'; readonly status: number };

export interface FakeSlackApi {
  readonly url: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  addUser(user: FakeSlackUser): void;
  calls(method?: string): RecordedCall[];
  /** Resolves with the first call (past or future) matching the predicate. */
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** The next `times` calls of `method` fail as asked. */
  failNext(method: string, failure: Failure, times?: number): void;
  messages(channel?: string): FakeMessage[];
  message(channel: string, ts: string): FakeMessage | undefined;
  /** The DM channel the fake assigns to a user (chat.postMessage with channel = user id). */
  dmChannelOf(userId: string): string;
  stop(): Promise<void>;
}

/** Where apps.connections.open sends Socket Mode clients (see fakeSlackSocket.ts). */
export interface SocketModeEndpoint {
  openConnection(): string;
}

export async function startFakeSlackApi(options: { teamId?: string; enterpriseId?: string; socketMode?: SocketModeEndpoint } = {}): Promise<FakeSlackApi> {
  const teamId = options.teamId ?? 'T0SWITCH';
  const botUserId = 'U0BOT';
  const botId = 'B0BOT';
  const users = new Map<string, FakeSlackUser>();
  const recorded: RecordedCall[] = [];
  const failures = new Map<string, Failure[]>();
  const messages = new Map<string, FakeMessage>();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(1000);
  let tsCounter = 0;
  const nextTs = (): string => `1700000000.${String(++tsCounter).padStart(6, '0')}`;
  const dmChannelOf = (userId: string): string => `D${userId}`;
  const key = (channel: string, ts: string): string => `${channel}/${ts}`;

  const handlers: Record<string, (args: Record<string, unknown>, token: string | undefined) => Record<string, unknown>> = {
    'auth.test': () => ({ url: 'https://switchboard.slack.test/', team: 'Acme', user: 'switchboard', team_id: teamId, user_id: botUserId, bot_id: botId, is_enterprise_install: false, ...(options.enterpriseId ? { enterprise_id: options.enterpriseId } : {}) }),
    'users.info': (args) => {
      const user = users.get(String(args.user));
      if (!user) return { ok: false, error: 'user_not_found' };
      return { user: { id: user.id, team_id: user.teamId, name: user.name, real_name: user.name, deleted: user.deleted ?? false, is_bot: user.isBot ?? false, profile: { real_name: user.name, ...(user.email ? { email: user.email } : {}) } } };
    },
    'users.lookupByEmail': (args) => {
      const user = [...users.values()].find((candidate) => candidate.email?.toLowerCase() === String(args.email).toLowerCase());
      return user ? { user: { id: user.id, team_id: user.teamId, name: user.name } } : { ok: false, error: 'users_not_found' };
    },
    'chat.postMessage': (args) => {
      const requested = String(args.channel);
      const channel = /^[UW]/.test(requested) ? dmChannelOf(requested) : requested;
      const ts = nextTs();
      const message: FakeMessage = { channel, ts, text: String(args.text ?? ''), blocks: asArray(args.blocks), chunks: [], streaming: 'none', edits: 0, ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}) };
      messages.set(key(channel, ts), message);
      return { channel, ts, message: { text: message.text, ts } };
    },
    'chat.update': (args) => {
      const message = messages.get(key(String(args.channel), String(args.ts)));
      if (!message) return { ok: false, error: 'message_not_found' };
      message.text = String(args.text ?? '');
      message.blocks = asArray(args.blocks);
      message.edits += 1;
      return { channel: message.channel, ts: message.ts, text: message.text };
    },
    'chat.postEphemeral': () => ({ message_ts: nextTs() }),
    'chat.startStream': (args) => {
      if (!args.channel) return { ok: false, error: 'invalid_arguments' };
      const channel = String(args.channel);
      if (!channel.startsWith('D') && (!args.recipient_user_id || !args.recipient_team_id)) return { ok: false, error: 'missing_recipient' };
      const ts = nextTs();
      const message: FakeMessage = { channel, ts, text: '', blocks: [], chunks: [], streaming: 'open', edits: 0, ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}) };
      appendChunks(message, args);
      messages.set(key(channel, ts), message);
      return { channel, ts };
    },
    'chat.appendStream': (args) => {
      const message = messages.get(key(String(args.channel), String(args.ts)));
      if (!message || message.streaming !== 'open') return { ok: false, error: 'message_not_in_streaming_state' };
      appendChunks(message, args);
      return { channel: message.channel, ts: message.ts };
    },
    'chat.stopStream': (args) => {
      const message = messages.get(key(String(args.channel), String(args.ts)));
      if (!message || message.streaming !== 'open') return { ok: false, error: 'message_not_in_streaming_state' };
      appendChunks(message, args);
      if (args.blocks) message.blocks = asArray(args.blocks);
      message.streaming = 'stopped';
      return { channel: message.channel, ts: message.ts, message: { text: message.text } };
    },
    // The test chooses the installing workspace through the code: "team:T123" (or "enterprise:E123").
    'oauth.v2.access': (args) => {
      const [kind, id] = String(args.code).split(':');
      const grid = kind === 'enterprise';
      return {
        app_id: 'A0SWITCH', authed_user: { id: 'U0INSTALLER' }, scope: 'chat:write,users:read', token_type: 'bot',
        access_token: `xoxb-installed-${id}`, bot_user_id: botUserId,
        team: grid ? null : { id, name: `Workspace ${id}` }, enterprise: grid ? { id, name: `Org ${id}` } : null, is_enterprise_install: grid,
      };
    },
    'assistant.threads.setStatus': () => ({}),
    'assistant.threads.setSuggestedPrompts': () => ({}),
    'views.publish': (args) => ({ view: { id: 'V1', ...(typeof args.view === 'object' ? (args.view as object) : {}) } }),
    // A modal needs the trigger_id of the click that opens it, as on Slack.
    'views.open': (args) => {
      if (typeof args.trigger_id !== 'string' || args.trigger_id === '') return { ok: false, error: 'invalid_trigger_id' };
      const view: unknown = typeof args.view === 'string' ? JSON.parse(args.view) : args.view;
      return { view: { id: 'V2', ...(typeof view === 'object' && view !== null ? view : {}) } };
    },
    // Only app-level tokens (xapp-…) may open Socket Mode connections, as on Slack.
    'apps.connections.open': (_args, token) => {
      if (!options.socketMode) return { ok: false, error: 'unknown_method' };
      if (!token?.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
      return { url: options.socketMode.openConnection() };
    },
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = decodeURIComponent((req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '');
    const args = await readArgs(req);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || (typeof args.token === 'string' ? args.token : undefined);
    const failure = failures.get(method)?.shift();
    let status = 200;
    let body: Record<string, unknown>;
    if (failure?.kind === 'ratelimit') {
      status = 429;
      res.setHeader('retry-after', String(failure.retryAfterSeconds));
      body = { ok: false, error: 'ratelimited' };
    } else if (failure?.kind === 'error') {
      body = { ok: false, error: failure.error };
    } else if (failure?.kind === 'unavailable') {
      status = failure.status;
      body = { ok: false, error: 'service_unavailable' };
    } else if (!token && method !== 'oauth.v2.access') {
      body = { ok: false, error: 'not_authed' };
    } else {
      const handler = handlers[method];
      body = handler ? { ok: true, ...handler(args, token) } : { ok: false, error: 'unknown_method' };
    }
    const call: RecordedCall = { method, args, token, at: performance.now(), status };
    recorded.push(call);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    emitter.emit('call', call);
  }

  function appendChunks(message: FakeMessage, args: Record<string, unknown>): void {
    const chunks = asArray(args.chunks) as Record<string, unknown>[];
    if (typeof args.markdown_text === 'string') chunks.unshift({ type: 'markdown_text', text: args.markdown_text });
    for (const chunk of chunks) {
      message.chunks.push(chunk);
      if (chunk.type === 'markdown_text') message.text += String(chunk.text);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    botUserId,
    botId,
    teamId,
    addUser: (user) => void users.set(user.id, user),
    calls: (method) => recorded.filter((call) => method === undefined || call.method === method),
    waitForCall(method, predicate = () => true, timeoutMs = 10_000) {
      const found = recorded.find((call) => call.method === method && predicate(call));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          emitter.off('call', listener);
          reject(new Error(`no ${method} call matched within ${timeoutMs} ms; calls so far: ${recorded.map((c) => c.method).join(', ')}`));
        }, timeoutMs);
        function listener(call: RecordedCall): void {
          if (call.method !== method || !predicate(call)) return;
          clearTimeout(timer);
          emitter.off('call', listener);
          resolve(call);
        }
        emitter.on('call', listener);
      });
    },
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    messages: (channel) => [...messages.values()].filter((message) => channel === undefined || message.channel === channel),
    message: (channel, ts) => messages.get(key(channel, ts)),
    dmChannelOf,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** WebClient sends form-encoded bodies with nested values JSON-encoded; JSON bodies are accepted too. */
async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parseQuery(raw))) {
    const text = Array.isArray(value) ? value[0] ?? '' : value ?? '';
    args[name] = /^[[{]/.test(text) ? safeJson(text) : text;
  }
  return args;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
