import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/core/logger.js';
import { SecretBox, parseKeyRing, loadKeyRing, generateKeySpec, SecretUnreadableError, EncryptionKeyError } from '../../src/store/crypto/index.js';

const ada = { purpose: 'connector-account', tenantId: 'acme', parts: ['user-ada', 'jira'] };
const silent = createLogger({ level: 'silent' });

test('round trip, and the blob never contains the plaintext', () => {
  const box = new SecretBox(parseKeyRing(generateKeySpec('k1')));
  const sealed = box.seal('at_super-secret-token', ada);
  expect(sealed.keyId).toBe('k1');
  expect(Buffer.from(sealed.ciphertext).toString('latin1')).not.toContain('super-secret');
  expect(sealed.ciphertext.length).toBe(12 + 16 + 'at_super-secret-token'.length);
  expect(box.open(sealed, ada).toString('utf8')).toBe('at_super-secret-token');
  // Fresh IV every time.
  expect(Buffer.from(box.seal('x', ada).ciphertext).equals(Buffer.from(box.seal('x', ada).ciphertext))).toBe(false);
  expect(box.openJson(box.sealJson({ a: [1, 'b'] }, ada), ada)).toEqual({ a: [1, 'b'] });
});

test('any flipped bit in iv, tag or data is detected', () => {
  const box = new SecretBox(parseKeyRing(generateKeySpec('k1')));
  const sealed = box.seal('refresh-token-value', ada);
  for (const index of [0, 11, 12, 27, 28, sealed.ciphertext.length - 1]) {
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[index] = tampered[index]! ^ 0x01;
    expect(() => box.open({ ciphertext: tampered, keyId: 'k1' }, ada)).toThrow(SecretUnreadableError);
  }
  expect(() => box.open({ ciphertext: sealed.ciphertext.subarray(0, 20), keyId: 'k1' }, ada)).toThrow(SecretUnreadableError);
});

test('a blob copied to another tenant, user or connector does not open', () => {
  const box = new SecretBox(parseKeyRing(generateKeySpec('k1')));
  const sealed = box.seal('token', ada);
  const others = [
    { ...ada, tenantId: 'globex' },
    { ...ada, parts: ['user-alan', 'jira'] },
    { ...ada, parts: ['user-ada', 'okta'] },
    { ...ada, purpose: 'oauth-state' },
    // Part boundaries matter: ["user-ada","jira"] is not ["user-adaj","ira"].
    { ...ada, parts: ['user-adaj', 'ira'] },
  ];
  for (const binding of others) {
    const error = (() => { try { box.open(sealed, binding); } catch (e) { return e; } return undefined; })();
    expect(error).toBeInstanceOf(SecretUnreadableError);
    expect((error as Error).message).not.toContain('token');
  }
});

test('key rotation: old keys still open, new writes use the active key', () => {
  const k1 = generateKeySpec('k1');
  const k2 = generateKeySpec('k2');
  const before = new SecretBox(parseKeyRing(k1));
  const old = before.seal('legacy', ada);
  const after = new SecretBox(parseKeyRing(`${k1},${k2}`, 'k2'));
  expect(after.open(old, ada).toString()).toBe('legacy');
  expect(after.isStale(old.keyId)).toBe(true);
  const resealed = after.seal(after.open(old, ada), ada);
  expect(resealed.keyId).toBe('k2');
  expect(after.isStale(resealed.keyId)).toBe(false);
  // Once k1 is retired from the ring its blobs are unreadable, with a clear reason.
  expect(() => new SecretBox(parseKeyRing(k2)).open(old, ada)).toThrow(/key "k1" is not in the key ring/);
});

test('malformed key configuration names the problem', () => {
  expect(() => parseKeyRing('')).toThrow(EncryptionKeyError);
  expect(() => parseKeyRing('k1:c2hvcnQ=')).toThrow(/key "k1" must be 32 bytes/);
  expect(() => parseKeyRing('nokeyid')).toThrow(/<key-id>:<base64 key>/);
  const k = generateKeySpec('k1');
  expect(() => parseKeyRing(`${k},${k}`)).toThrow(/appears twice/);
  expect(() => parseKeyRing(k, 'k9')).toThrow(/SWITCHBOARD_ENCRYPTION_KEY_ID "k9"/);
});

describe('development key', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'sb-keys-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  test('is created once under the data dir with a warning, and reused after restart', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } }) });
    const first = await loadKeyRing({ nodeEnv: 'development', dataDir: dir, logger });
    const sealed = new SecretBox(first).seal('kept', ada);
    const second = await loadKeyRing({ nodeEnv: 'development', dataDir: dir, logger: silent });
    expect(new SecretBox(second).open(sealed, ada).toString()).toBe('kept');
    expect(lines.join('')).toContain('development key');
    const key = (await readFile(join(dir, 'dev-encryption-key'), 'utf8')).trim().split(':')[1]!;
    expect(lines.join('')).not.toContain(key);
    expect((await stat(join(dir, 'dev-encryption-key'))).mode & 0o777).toBe(0o600);
  });

  test('production refuses to start without configured keys', async () => {
    await expect(loadKeyRing({ nodeEnv: 'production', dataDir: dir, logger: silent })).rejects.toThrow(/SWITCHBOARD_ENCRYPTION_KEYS must be set in production/);
  });

  test('configured keys win over the development key', async () => {
    const spec = generateKeySpec('prod1');
    const ring = await loadKeyRing({ keys: spec, nodeEnv: 'production', dataDir: dir, logger: silent });
    expect(ring.activeKeyId).toBe('prod1');
  });
});
