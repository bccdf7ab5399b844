import { Writable } from 'node:stream';
import pg from 'pg';
import { createLogger } from '../../src/core/logger.js';
import { eventually, startProduct, type RunningProduct } from '../app/support/product.js';

// Issue 15, deliverable 3: log lines for machines have no duplicated keys and say which tenant and
// run they are about; startup says routine detail at debug, so the banner is on the first screen.

/** The keys of every JSON object in `text` that occur twice in that same object (JSON.parse keeps the last silently). */
function duplicatedKeys(text: string): string[] {
  let i = 0;
  const found: string[] = [];
  const ws = () => { while (/\s/.test(text[i] ?? '')) i += 1; };
  const string = (): string => {
    const start = i;
    i += 1;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i += 1;
      const keys = new Set<string>();
      ws();
      while (text[i] !== '}') {
        ws();
        const key = string();
        if (keys.has(key)) found.push(key);
        keys.add(key);
        ws(); i += 1; // ':'
        value();
        ws();
        if (text[i] === ',') i += 1;
        ws();
      }
      i += 1;
    } else if (c === '[') {
      i += 1;
      ws();
      while (text[i] !== ']') { value(); ws(); if (text[i] === ',') i += 1; ws(); }
      i += 1;
    } else if (c === '"') string();
    else while (i < text.length && !/[,}\]\s]/.test(text[i]!)) i += 1;
  };
  value();
  return found;
}

const lines: string[] = [];
const capture = new Writable({ write(chunk, _encoding, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
let product: RunningProduct;
let linesAtStartup: string[];

beforeAll(async () => {
  // Debug level, so the lines demoted from info are captured too (and shown to be demoted).
  product = await startProduct({ logger: createLogger({ level: 'debug', destination: capture }) });
  linesAtStartup = [...lines];
}, 120_000);

afterAll(async () => {
  await product?.close();
});

test('the duplicate-key check finds a duplicated key', () => {
  expect(duplicatedKeys('{"a":1,"b":{"a":2},"runId":"x","c":[{"d":1}],"runId":"x"}')).toEqual(['runId']);
  expect(duplicatedKeys('{"a":"}\\"","b":{"a":2}}')).toEqual([]);
});

test('startup at info level prints a screenful at most before the banner; demo linking is at debug', () => {
  const info = linesAtStartup.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 30);
  expect(info.filter((l) => /account link/.test(l.msg))).toEqual([]);
  expect(linesAtStartup.some((l) => (JSON.parse(l) as { msg: string }).msg === 'account linked')).toBe(true);
  expect(info.length).toBeLessThan(15);
});

test('every line about a run has the tenant and run ids once each', async () => {
  const { people } = (await (await fetch(`${product.url}/api/web/people`)).json()) as { people: { id: string; email: string }[] };
  const ada = people.find((p) => p.email.startsWith('ada@'))!.id;
  const sent = await fetch(`${product.url}/api/web/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: ada, threadId: 'thread-logs', clientMessageId: 'logs-message-1', text: 'show my open tickets' }),
  });
  const accepted = (await sent.json()) as { runId: string };
  expect({ status: sent.status, accepted }).toEqual({ status: 202, accepted: { status: 'accepted', runId: expect.any(String) } });
  const { runId } = accepted;
  const sql = new pg.Client({ connectionString: product.databaseUrl });
  await sql.connect();
  try {
    await eventually(async () => ['completed', 'failed'].includes((await sql.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0]?.status as string), 'the run to end', 30_000).catch(async (e: unknown) => {
      console.log((await sql.query('SELECT status, error FROM runs WHERE id = $1', [runId])).rows, lines.filter((l) => l.includes(runId)).join('\n'));
      throw e;
    });
  } finally {
    await sql.end();
  }
  const runLines = lines.filter((l) => l.includes(runId));
  expect(runLines.length).toBeGreaterThan(0);
  for (const line of runLines) {
    expect({ line, duplicated: duplicatedKeys(line) }).toEqual({ line, duplicated: [] });
    expect(JSON.parse(line)).toMatchObject({ tenantId: 'acme', runId });
  }
}, 120_000);

test('pretty mode writes one readable line per event, without JSON', () => {
  const out: string[] = [];
  const logger = createLogger({ pretty: true, colorize: false, destination: new Writable({ write(chunk, _e, done) { out.push(String(chunk)); done(); } }) });
  logger.child({ tenantId: 'acme', runId: 'r-1' }).info({ runId: 'r-1', tool: 'okta.reset' }, 'tool call finished');
  const text = out.join('');
  expect(text.trim().split('\n')).toHaveLength(1);
  expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: tool call finished \{.*"runId":"r-1".*\}\n$/);
  expect(text.match(/runId/g)).toHaveLength(1);
});
