import { SwitchboardError } from '../../core/errors.js';

/** A Bot Connector call that failed after its retries (status kept for logs; never the request body). */
export class TeamsDeliveryError extends SwitchboardError {
  constructor(operation: string, readonly status: number | undefined, cause?: unknown) {
    super('teams_delivery_failed', `Teams ${operation} failed${status ? ` with HTTP ${status}` : ''}`, {
      userMessage: 'I could not post to Microsoft Teams just now.',
      retryable: status === 429 || (status !== undefined && status >= 500),
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** An activity Switchboard cannot act on (no sender, no tenant); answered with a clear message, never silence. */
export class TeamsActivityError extends SwitchboardError {
  constructor(message: string, userMessage: string) {
    super('teams_activity_invalid', message, { userMessage });
  }
}
