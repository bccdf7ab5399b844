import type { CredentialAccessor } from '../../../src/tools/credentials.js';

/**
 * Runs `attempt`; when the vendor refuses the token, drops it, lets the accessor refresh, and tries
 * exactly once more. A refused token means nothing happened, so the repeat is safe for any method.
 */
export async function withFreshTokenOnce<R>(credentials: CredentialAccessor, attempt: () => Promise<R>, tokenRefused: (error: unknown) => boolean): Promise<R> {
  try {
    return await attempt();
  } catch (error) {
    if (!tokenRefused(error)) throw error;
    await credentials.invalidate();
    return attempt();
  }
}
