import { DelegateBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';

export interface ConnectorRetrySettings {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number;
  /** Failures worth another attempt: transient ones whose wait the connector accepts. */
  readonly shouldRetry: (error: Error) => boolean;
  /** The wait the vendor asked for (Retry-After, a rate-limit reset); it replaces the backoff step. */
  readonly toldDelayMs?: (error: unknown) => number | undefined;
  /** First backoff step; it doubles per attempt up to `maxBackoffMs`. */
  readonly baseDelayMs?: number;
  readonly maxBackoffMs?: number;
  /** Spreads each step over [half, full] so parallel runs do not retry in lockstep. */
  readonly jitter?: () => number;
  /** Epoch ms after which no attempt starts; a told wait that ends later surfaces the error instead. */
  readonly deadline?: number;
  readonly now?: () => number;
}

/**
 * The retry every connector client uses for requests that are safe to repeat (GETs, guarded or
 * absolute writes). Which errors are transient, and what wait the vendor asked for, stay with the vendor.
 */
export function connectorRetryPolicy(settings: ConnectorRetrySettings): RetryPolicy {
  const now = settings.now ?? Date.now;
  const base = settings.baseDelayMs ?? 100;
  const cap = settings.maxBackoffMs ?? 2_000;
  const { deadline, jitter } = settings;
  const told = (error: unknown): number | undefined => settings.toldDelayMs?.(error);
  return retry(
    handleWhen((error) => settings.shouldRetry(error) && (deadline === undefined || now() + (told(error) ?? 0) < deadline)),
    {
      maxAttempts: Math.max(0, settings.maxAttempts - 1),
      backoff: new DelegateBackoff((context) => {
        const failure = 'error' in context.result ? context.result.error : undefined;
        const step = Math.min(cap, base * 2 ** (context.attempt - 1));
        const wait = told(failure) ?? (jitter ? Math.round(step / 2 + (jitter() * step) / 2) : step);
        return deadline === undefined ? wait : Math.max(0, Math.min(wait, deadline - now()));
      }),
    },
  );
}
