import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small real HTTP service standing in for an external system. Every side effect is keyed by the
 * idempotency key the runtime issued, so tests can observe "exactly once":
 * - POST /effects {key,label} applies a non-idempotent effect (each request counts);
 * - PUT /effects/:key {label} applies an idempotent one (repeats with the same key are no-ops, but
 *   still counted as requests);
 * - GET /effects/:key reads it back (the reconcile hook's view).
 * A POST whose label starts with "lost:" or "late:" is applied but its response is lost or late (a
 * PUT with "lost:" too).
 */
export interface EffectsServer {
  readonly url: string;
  applied(key: string): number;
  requests(key: string): number;
  all(): ReadonlyMap<string, { applied: number; requests: number; label: string }>;
  /** The next `count` POST /effects are refused with 422 (nothing applied): a definite failure. */
  refuseNextPosts(count: number): void;
  stop(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startEffectsServer(): Promise<EffectsServer> {
  const effects = new Map<string, { applied: number; requests: number; label: string }>();
  let refusals = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const match = /^\/effects(?:\/([^/]+))?$/.exec(url.pathname);
      if (!match) return send(404, { error: 'not found' });
      if (req.method === 'POST' && !match[1]) {
        const input = await body(req);
        if (refusals > 0) {
          refusals -= 1;
          return send(422, { error: 'refused by the test' });
        }
        const key = String(input.key);
        const entry = effects.get(key) ?? { applied: 0, requests: 0, label: String(input.label ?? '') };
        entry.applied += 1;
        entry.requests += 1;
        effects.set(key, entry);
        // Wire faults after the write is applied: "lost:" drops the connection instead of answering,
        // "late:" answers only after 1.5 s (past a short client timeout).
        if (entry.label.startsWith('lost:')) return void req.socket.destroy();
        if (entry.label.startsWith('late:')) await new Promise((resolve) => setTimeout(resolve, 1_500));
        return send(201, { key, label: entry.label, applied: entry.applied });
      }
      const key = decodeURIComponent(match[1] ?? '');
      if (req.method === 'PUT' && key) {
        const input = await body(req);
        const entry = effects.get(key) ?? { applied: 1, requests: 0, label: String(input.label ?? '') };
        entry.requests += 1;
        effects.set(key, entry);
        if (entry.label.startsWith('lost:')) return void req.socket.destroy();
        return send(200, { key, label: entry.label, applied: entry.applied });
      }
      if (req.method === 'GET' && key) {
        const entry = effects.get(key);
        return entry ? send(200, { key, label: entry.label, applied: entry.applied }) : send(404, { error: 'no such effect' });
      }
      return send(405, { error: 'method not allowed' });
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    applied: (key) => effects.get(key)?.applied ?? 0,
    requests: (key) => effects.get(key)?.requests ?? 0,
    all: () => effects,
    refuseNextPosts: (count) => {
      refusals = count;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
