import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { EncryptionKeyError } from './errors.js';

export const KEY_BYTES = 32;

export interface KeyRing {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/** Parses `kid:base64key,kid2:base64key`; every key must decode to exactly 32 bytes. */
export function parseKeyRing(spec: string, activeKeyId?: string): KeyRing {
  const keys = new Map<string, Buffer>();
  const entries = spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (entries.length === 0) throw new EncryptionKeyError('SWITCHBOARD_ENCRYPTION_KEYS is empty');
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const kid = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(kid)) throw new EncryptionKeyError(`SWITCHBOARD_ENCRYPTION_KEYS: entry ${keys.size + 1} needs the form <key-id>:<base64 key>`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES) throw new EncryptionKeyError(`SWITCHBOARD_ENCRYPTION_KEYS: key "${kid}" must be ${KEY_BYTES} bytes of base64 (got ${key.length})`);
    if (keys.has(kid)) throw new EncryptionKeyError(`SWITCHBOARD_ENCRYPTION_KEYS: key id "${kid}" appears twice`);
    keys.set(kid, key);
  }
  const active = activeKeyId ?? [...keys.keys()].at(-1)!;
  if (!keys.has(active)) throw new EncryptionKeyError(`SWITCHBOARD_ENCRYPTION_KEY_ID "${active}" is not in SWITCHBOARD_ENCRYPTION_KEYS`);
  return { activeKeyId: active, keys };
}

export function generateKeySpec(kid: string): string {
  return `${kid}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

export interface LoadKeyRingOptions {
  readonly keys?: string;
  readonly activeKeyId?: string;
  readonly nodeEnv: string;
  readonly dataDir: string;
  readonly logger: Logger;
}

const DEV_KEY_FILE = 'dev-encryption-key';

/**
 * Configured keys win. Outside production a development key is created once under the data dir, so
 * local restarts keep reading what they wrote; production refuses to start without real keys.
 */
export async function loadKeyRing(options: LoadKeyRingOptions): Promise<KeyRing> {
  if (options.keys !== undefined && options.keys.trim() !== '') return parseKeyRing(options.keys, options.activeKeyId);
  if (options.nodeEnv === 'production') {
    throw new EncryptionKeyError('SWITCHBOARD_ENCRYPTION_KEYS must be set in production (format kid:base64-32-byte-key)');
  }
  const path = join(options.dataDir, DEV_KEY_FILE);
  let spec = await readFile(path, 'utf8').then((s) => s.trim()).catch(() => undefined);
  if (spec === undefined) {
    spec = generateKeySpec('dev');
    await mkdir(options.dataDir, { recursive: true });
    // 'wx' so two processes starting together cannot overwrite each other's key.
    await writeFile(path, `${spec}\n`, { flag: 'wx', mode: 0o600 }).catch(async () => {
      spec = (await readFile(path, 'utf8')).trim();
    });
    await chmod(path, 0o600).catch(() => undefined);
  }
  options.logger.warn({ path }, 'no SWITCHBOARD_ENCRYPTION_KEYS set; using a development key stored in the data directory');
  return parseKeyRing(spec);
}
