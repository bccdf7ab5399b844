import { isSwitchboardError, SwitchboardError } from '../../core/errors.js';

const LOST_RESPONSE = /ECONNRESET|socket hang up|other side closed|terminated|UND_ERR_SOCKET|fetch failed/i;
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['tool_timeout', 'connector_timeout']);

/**
 * A write that timed out or whose response was lost may have been applied: the request can have
 * reached the system before the answer went missing. Such a call is read back, never reported as a
 * plain failure (the employee would ask again and create a duplicate).
 */
export function outcomeUnknown(error: unknown): boolean {
  if (isSwitchboardError(error)) {
    if (TIMEOUT_CODES.has(error.code)) return true;
    const cause = (error as { cause?: unknown }).cause;
    return cause !== undefined && cause !== error && outcomeUnknown(cause);
  }
  // Duck-typed: fetch's errors may come from another realm (undici), where instanceof Error fails.
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { name, message, cause } = error as { name?: unknown; message?: unknown; cause?: unknown };
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    if (LOST_RESPONSE.test(String(message))) return true;
    if (typeof cause === 'object' && cause !== null) {
      const { message: causeMessage, code } = cause as { message?: unknown; code?: unknown };
      return LOST_RESPONSE.test(`${String(causeMessage)} ${String(code ?? '')}`);
    }
  }
  return false;
}

/** Reported when a write's outcome stayed unknown after reading it back. */
export class ToolUnconfirmedError extends SwitchboardError {
  constructor(tool: string) {
    super('tool_unconfirmed', `${tool}: no answer arrived and the outcome could not be read back`, {
      userMessage: `${tool} did not answer in time and I could not confirm whether it took effect. I did not repeat it; please check the system before asking again.`,
    });
  }
}
