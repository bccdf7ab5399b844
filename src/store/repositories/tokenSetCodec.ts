import { z } from 'zod';
import type { TokenSet } from '../../tools/connector.js';

/** The encrypted form of a TokenSet; dates as ISO strings. */
const storedTokenSetSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresAt: z.string().datetime({ offset: true }).optional(),
  scopes: z.array(z.string()).default([]),
  externalUserId: z.string().optional(),
  metadata: z.record(z.string(), z.string()).default({}),
});

export function encodeTokenSet(tokens: TokenSet): z.input<typeof storedTokenSetSchema> {
  return {
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt.toISOString() } : {}),
    scopes: [...tokens.scopes],
    ...(tokens.externalUserId !== undefined ? { externalUserId: tokens.externalUserId } : {}),
    metadata: { ...tokens.metadata },
  };
}

export function decodeTokenSet(value: unknown): TokenSet {
  const parsed = storedTokenSetSchema.parse(value);
  return {
    accessToken: parsed.accessToken,
    ...(parsed.refreshToken !== undefined ? { refreshToken: parsed.refreshToken } : {}),
    ...(parsed.expiresAt !== undefined ? { expiresAt: new Date(parsed.expiresAt) } : {}),
    scopes: parsed.scopes,
    ...(parsed.externalUserId !== undefined ? { externalUserId: parsed.externalUserId } : {}),
    metadata: parsed.metadata,
  };
}
