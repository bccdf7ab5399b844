import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the scripted model answers to one request. */
export type ScriptedReply =
  | {
      readonly kind: 'message';
      readonly content?: string;
      /** `arguments` as an object is serialized; as a string it is sent verbatim (malformed JSON on purpose). */
      readonly toolCalls?: readonly { readonly name: string; readonly arguments: string | Record<string, unknown> }[];
      readonly usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number } | null;
      readonly finishReason?: string;
    }
  | { readonly kind: 'error'; readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  /** Never answers; the client must time out. */
  | { readonly kind: 'hang' };

export interface RecordedRequest {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body as the client sent it. */
  readonly body: {
    model: string;
    messages: { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
    tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
    tool_choice?: unknown;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    max_tokens?: number;
  };
  /** The raw body text, for "no secret ever appears in a prompt" assertions. */
  readonly raw: string;
}

export type ScriptHandler = (request: RecordedRequest, index: number) => ScriptedReply;

export interface ScriptedOpenAI {
  /** Base URL for the openai client, ending in /v1. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Replies served in order; when the queue is empty the handler (if any) answers, else 500. */
  enqueue(...replies: ScriptedReply[]): void;
  setHandler(handler: ScriptHandler | undefined): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function usageOf(reply: Extract<ScriptedReply, { kind: 'message' }>): Record<string, unknown> | null {
  if (reply.usage === null) return null;
  const u = reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 };
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
  };
}

function toolCallsOf(reply: Extract<ScriptedReply, { kind: 'message' }>): { id: string; type: 'function'; function: { name: string; arguments: string } }[] {
  return (reply.toolCalls ?? []).map((call, i) => ({
    id: `call_${i + 1}`,
    type: 'function',
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
}

function sendJson(res: ServerResponse, model: string, reply: Extract<ScriptedReply, { kind: 'message' }>): void {
  const toolCalls = toolCallsOf(reply);
  const body = {
    id: 'chatcmpl-scripted',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{
      index: 0,
      message: { role: 'assistant', content: reply.content ?? null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
      finish_reason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    }],
    ...(usageOf(reply) ? { usage: usageOf(reply) } : {}),
  };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** SSE the way OpenAI streams: content in small deltas, tool-call arguments split, then the usage chunk. */
function sendStream(res: ServerResponse, model: string, reply: Extract<ScriptedReply, { kind: 'message' }>, includeUsage: boolean): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const base = { id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const send = (payload: unknown): void => void res.write(`data: ${JSON.stringify(payload)}\n\n`);
  send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  const content = reply.content ?? '';
  for (let i = 0; i < content.length; i += 7) send({ ...base, choices: [{ index: 0, delta: { content: content.slice(i, i + 7) }, finish_reason: null }] });
  toolCallsOf(reply).forEach((call, index) => {
    send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }, finish_reason: null }] });
    const args = call.function.arguments;
    for (let i = 0; i < args.length; i += 16) {
      send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: args.slice(i, i + 16) } }] }, finish_reason: null }] });
    }
  });
  const finish = reply.finishReason ?? ((reply.toolCalls ?? []).length > 0 ? 'tool_calls' : 'stop');
  send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
  const usage = usageOf(reply);
  if (includeUsage && usage) send({ ...base, choices: [], usage });
  res.end('data: [DONE]\n\n');
}

/** A real HTTP server speaking the Chat Completions wire format, scripted per test. */
export async function startScriptedOpenAI(options: { handler?: ScriptHandler } = {}): Promise<ScriptedOpenAI> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let handler = options.handler;
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const recorded: RecordedRequest = { path: req.url, headers: req.headers, body: JSON.parse(raw) as RecordedRequest['body'], raw };
      requests.push(recorded);
      const reply = queue.shift() ?? handler?.(recorded, requests.length - 1) ?? { kind: 'error', status: 500, body: { error: { message: 'script exhausted' } } };
      if (reply.kind === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (reply.kind === 'error') {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
          .end(JSON.stringify(reply.body ?? { error: { message: `scripted ${reply.status}`, type: 'server_error' } }));
        return;
      }
      if (recorded.body.stream) sendStream(res, recorded.body.model, reply, recorded.body.stream_options?.include_usage === true);
      else sendJson(res, recorded.body.model, reply);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setHandler: (h) => void (handler = h),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
