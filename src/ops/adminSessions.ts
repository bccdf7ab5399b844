import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { KeyValueStore } from '../infra/keyValue.js';
import { tenantKey } from '../infra/keys.js';

export const SESSION_COOKIE = 'sb_ops';

export interface AdminSession {
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
}

/**
 * Operations-view sessions, kept in the KeyValueStore (Redis when configured) so any process can
 * check them. The cookie names the tenant so the session key is tenant-scoped like every other key.
 */
export class AdminSessions {
  constructor(private readonly kv: KeyValueStore, private readonly ttlMs = 8 * 60 * 60_000) {}

  async create(session: AdminSession): Promise<string> {
    const secret = randomBytes(24).toString('base64url');
    await this.kv.set(this.key(session.tenantId, secret), JSON.stringify(session), { ttlMs: this.ttlMs });
    return `${session.tenantId}.${secret}`;
  }

  async find(req: IncomingMessage): Promise<AdminSession | null> {
    const parsed = this.parse(req);
    if (!parsed) return null;
    const raw = await this.kv.get(this.key(parsed.tenantId, parsed.secret));
    if (!raw) return null;
    const session = JSON.parse(raw) as AdminSession;
    // The stored tenant must be the one the cookie names; anything else is a forged cookie.
    return session.tenantId === parsed.tenantId ? session : null;
  }

  async destroy(req: IncomingMessage): Promise<void> {
    const parsed = this.parse(req);
    if (parsed) await this.kv.delete(this.key(parsed.tenantId, parsed.secret));
  }

  cookie(value: string, secure: boolean): string {
    return `${SESSION_COOKIE}=${value}; Path=/ops; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(this.ttlMs / 1000)}${secure ? '; Secure' : ''}`;
  }

  clearedCookie(secure: boolean): string {
    return `${SESSION_COOKIE}=; Path=/ops; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
  }

  private parse(req: IncomingMessage): { tenantId: string; secret: string } | null {
    const header = req.headers.cookie ?? '';
    const value = header.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1);
    const match = value ? /^([a-z0-9][a-z0-9-]{1,40})\.([A-Za-z0-9_-]{32})$/.exec(value) : null;
    return match ? { tenantId: match[1]!, secret: match[2]! } : null;
  }

  private key(tenantId: string, secret: string): string {
    // Stored hashed: a leaked key listing does not hand out live sessions.
    return tenantKey(tenantId, 'ops-session', createHash('sha256').update(secret).digest('hex'));
  }
}

/** Compares without leaking the length or position of the first difference through timing. */
export function passwordMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
