import { Writable } from 'node:stream';
import { createLogger } from '../../src/core/logger.js';
import { HttpApp, readBody, sendJson } from '../../src/http/httpApp.js';
import { rawRequest } from '../app/support/edgeProduct.js';

// Issue 10 deliver 2 at the HttpApp itself: a throwing route answers 500 with its request id (also
// in the log) and the server keeps serving; a closed app answers 503 until open(); route limits.
function capture(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

let app: HttpApp;
let url: string;
let lines: Record<string, unknown>[];

beforeAll(async () => {
  const log = capture();
  lines = log.lines;
  app = new HttpApp(log.logger, { closedUntilOpen: true });
  app.route('GET', '/boom', () => {
    throw new Error('route exploded');
  });
  app.route('GET', '/async-boom', async () => {
    await Promise.resolve();
    throw new TypeError("Cannot read properties of null (reading 'ssl_check')");
  });
  app.route('GET', '/items/:id', (_req, res, params) => sendJson(res, 200, { id: params.id }));
  app.route('POST', '/echo', async (req, res) => sendJson(res, 200, { length: (await readBody(req, 100)).length }), { bodyLimit: 100 });
  ({ url } = await app.listen(0, '127.0.0.1'));
});

afterAll(async () => {
  await app.close();
});

test('503 with Retry-After until open(), then routes answer', async () => {
  const early = await rawRequest(url, { method: 'GET', path: '/items/1' });
  expect(early.status).toBe(503);
  expect(early.headers['retry-after']).toBe('1');
  app.open();
  expect((await rawRequest(url, { method: 'GET', path: '/items/1' })).status).toBe(200);
});

test.each(['/boom', '/async-boom'])('%s answers 500 with a request id that is also in the log, and the server keeps serving', async (path) => {
  const response = await rawRequest(url, { method: 'GET', path, headers: { 'x-request-id': `req-${path.slice(1)}` } });
  expect(response.status).toBe(500);
  expect(JSON.parse(response.body)).toEqual({ error: { code: 'internal', message: 'Something went wrong on our side.', requestId: `req-${path.slice(1)}` } });
  expect(lines).toContainEqual(expect.objectContaining({ msg: 'http handler failed', requestId: `req-${path.slice(1)}`, method: 'GET', path, level: 50 }));
  expect((await rawRequest(url, { method: 'GET', path: '/items/2' })).status).toBe(200);
});

test('an unusable request id is replaced by a fresh one', async () => {
  const response = await rawRequest(url, { method: 'GET', path: '/items/3', headers: { 'x-request-id': 'has spaces and "quotes"' } });
  expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test.each([
  ['/items/%E0%A4%A', 400],
  ['/items/%', 400],
  ['/items/a%00b', 400],
  ['/items/%C3%A9', 200],
  ['//', 404],
  ['http://example.test/items/4', 200],
  ['*', 400],
])('target %s answers %d', async (path, status) => {
  expect((await rawRequest(url, { method: 'GET', path })).status).toBe(status);
});

test('a route limit is enforced on the declared length and while streaming', async () => {
  expect((await rawRequest(url, { method: 'POST', path: '/echo', body: 'x'.repeat(100) })).status).toBe(200);
  expect((await rawRequest(url, { method: 'POST', path: '/echo', body: 'x'.repeat(101) })).status).toBe(413);
  const chunked = await rawRequest(url, { method: 'POST', path: '/echo', headers: { 'transfer-encoding': 'chunked' }, chunks: [Buffer.alloc(60), Buffer.alloc(60)] });
  expect(chunked.status).toBe(413);
  // A GET route takes no body worth reading.
  expect((await rawRequest(url, { method: 'GET', path: '/items/5', headers: { 'content-length': '4096' }, body: 'y'.repeat(4096) })).status).toBe(413);
});

test('a client that stops sending mid-request is cut off by the request timeout', async () => {
  const log = capture();
  const slow = new HttpApp(log.logger, { headersTimeoutMs: 500, requestTimeoutMs: 800, timeoutCheckIntervalMs: 100 });
  slow.route('POST', '/echo', async (req, res) => sendJson(res, 200, { length: (await readBody(req, 1000)).length }), { bodyLimit: 1000 });
  const { url: slowUrl } = await slow.listen(0, '127.0.0.1');
  try {
    // Declares 500 bytes, sends 10, then waits far longer than the server allows.
    const outcome = await rawRequest(slowUrl, { method: 'POST', path: '/echo', headers: { 'content-length': '500' }, chunks: [Buffer.alloc(10)], timeoutMs: 20_000 }).then(
      (response) => response.status,
      (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error',
    );
    expect([408, 'ECONNRESET', 'EPIPE']).toContain(outcome);
  } finally {
    await slow.close();
  }
});
