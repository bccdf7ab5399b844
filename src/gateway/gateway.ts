import type { Turn } from './turn.js';

export type SubmitResult =
  | { readonly status: 'accepted'; readonly runId: string; readonly userId: string }
  | { readonly status: 'duplicate' }
  /** Refused before any work started; `message` is written for the employee and must be shown to them. */
  | { readonly status: 'refused'; readonly code: 'unknown_tenant' | 'unknown_user' | 'rate_limited' | 'budget_exceeded' | 'invalid_input'; readonly message: string };

/** What every channel calls: returns as soon as the turn is durably queued (Slack must ack in < 3 s). */
export interface Gateway {
  submit(turn: Turn): Promise<SubmitResult>;
  /**
   * The tenant user behind a platform account, matched by email on first contact and remembered.
   * Channels use it for people who act without sending a turn first (an approver clicking a button).
   */
  identify(request: IdentifyRequest): Promise<{ readonly userId: string } | null>;
}

export interface IdentifyRequest {
  readonly tenantId: string;
  readonly channel: Turn['channel'];
  readonly platformUser: { readonly externalId: string; readonly teamId: string; readonly email?: string };
}

/** A platform profile the channel can look up (Slack users.info, Teams member info) to match a tenant user by email. */
export interface PlatformProfile {
  readonly email?: string;
  readonly displayName?: string;
}

export interface PlatformDirectory {
  lookup(platformUser: { externalId: string; teamId: string }): Promise<PlatformProfile | null>;
}
