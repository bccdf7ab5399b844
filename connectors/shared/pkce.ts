import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
}

/** RFC 7636 S256. */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Used by the sandboxes' token endpoints. */
export function verifyPkce(verifier: string, challenge: string): boolean {
  const expected = Buffer.from(pkceChallenge(verifier));
  const actual = Buffer.from(challenge);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
