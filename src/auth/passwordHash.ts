import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Break-glass passwords are stored only as scrypt hashes (in an environment variable named by the
 * tenants file), in the self-describing form `scrypt:N:r:p:salt:hash` (salt and hash base64url;
 * colons, not `$`, so shells and .env loaders never expand parts of it).
 */
const DEFAULTS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const FORMAT = /^scrypt:(\d{1,8}):(\d{1,3}):(\d{1,3}):([A-Za-z0-9_-]{16,128}):([A-Za-z0-9_-]{43})$/;

export interface ParsedPasswordHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // maxmem must cover 128·N·r bytes, or Node refuses parameters stronger than its 32 MB default.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, DEFAULTS);
  return `scrypt:${DEFAULTS.N}:${DEFAULTS.r}:${DEFAULTS.p}:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

/** Null for anything that is not a hash this module wrote (a plain password pasted by mistake included). */
export function parsePasswordHash(value: string): ParsedPasswordHash | null {
  const match = FORMAT.exec(value.trim());
  if (!match) return null;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // N must be a power of two; the bounds keep a hostile value from pinning the CPU or memory.
  if (N < 1 << 14 || N > 1 << 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { N, r, p, salt: Buffer.from(match[4]!, 'base64url'), hash: Buffer.from(match[5]!, 'base64url') };
}

export async function verifyPassword(password: string, stored: ParsedPasswordHash): Promise<boolean> {
  const candidate = await derive(password, stored.salt, stored);
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}
