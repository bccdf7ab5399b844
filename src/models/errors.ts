import { SwitchboardError } from '../core/errors.js';

/** No configured model tier could be reached; callers fall back to the deterministic tier. */
export class ModelUnavailableError extends SwitchboardError {
  constructor(message: string, cause?: unknown) {
    super('model_unavailable', message, {
      userMessage: 'The AI model is not reachable right now, so I am running in reduced mode.',
      retryable: true,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** The model answered, but not with something we can use even after one repair attempt. */
export class ModelOutputError extends SwitchboardError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('model_output_invalid', message, {
      userMessage: 'I could not work out a reliable plan for that. Could you rephrase it?',
      ...(details ? { details } : {}),
    });
  }
}

/** One failed call to one provider; carries what the retry policy needs (status, Retry-After). */
export class ProviderCallError extends SwitchboardError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown }) {
    super('model_provider_error', message, {
      retryable: options.status === undefined || options.status === 429 || options.status >= 500,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
