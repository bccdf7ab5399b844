/**
 * Every error Switchboard raises on purpose is a SwitchboardError: a stable `code` for programs and
 * an `userMessage` written for the employee reading the chat. `message` is for operators and must
 * never contain a credential.
 */
export class SwitchboardError extends Error {
  readonly code: string;
  readonly userMessage: string;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: { userMessage?: string; retryable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.userMessage = options.userMessage ?? 'Something went wrong while handling your request.';
    this.retryable = options.retryable ?? false;
    if (options.details !== undefined) this.details = options.details;
  }

  toJSON(): { code: string; message: string; userMessage: string } {
    return { code: this.code, message: this.message, userMessage: this.userMessage };
  }
}

export class ConfigError extends SwitchboardError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('config_invalid', message, { userMessage: 'Switchboard is not configured correctly.', ...(details ? { details } : {}) });
  }
}

export class ValidationError extends SwitchboardError {
  constructor(message: string, userMessage: string, details?: Record<string, unknown>) {
    super('invalid_input', message, { userMessage, ...(details ? { details } : {}) });
  }
}

export class NotFoundError extends SwitchboardError {
  constructor(what: string, userMessage = `I could not find ${what}.`) {
    super('not_found', `${what} not found`, { userMessage });
  }
}

export class PermissionDeniedError extends SwitchboardError {
  constructor(message: string, userMessage = 'You do not have permission to do that.') {
    super('permission_denied', message, { userMessage });
  }
}

export class AccountNotLinkedError extends SwitchboardError {
  readonly connectorId: string;
  constructor(connectorId: string, connectorName: string) {
    super('account_not_linked', `no linked account for connector ${connectorId}`, {
      userMessage: `Please connect your ${connectorName} account so I can act as you.`,
    });
    this.connectorId = connectorId;
  }
}

export type BudgetCap = 'steps' | 'tokens' | 'usd' | 'wall_time';
export type BudgetScope = 'request' | 'user_day' | 'tenant_day';

export class BudgetExceededError extends SwitchboardError {
  readonly cap: BudgetCap;
  readonly scope: BudgetScope;
  readonly resetsAt?: Date;
  constructor(cap: BudgetCap, scope: BudgetScope, userMessage: string, resetsAt?: Date) {
    super('budget_exceeded', `${scope} ${cap} budget exceeded`, { userMessage });
    this.cap = cap;
    this.scope = scope;
    if (resetsAt) this.resetsAt = resetsAt;
  }
}

export class RateLimitedError extends SwitchboardError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, userMessage = 'You are sending requests faster than I can take them. Please wait a moment.') {
    super('rate_limited', message, { userMessage, retryable: true });
    this.retryAfterMs = retryAfterMs;
  }
}

export function isSwitchboardError(error: unknown): error is SwitchboardError {
  return error instanceof SwitchboardError;
}

/** Text for the employee: the typed error's own words, or a generic sentence for anything unexpected. */
export function userMessageOf(error: unknown): string {
  return isSwitchboardError(error) ? error.userMessage : 'Something went wrong while handling your request.';
}
