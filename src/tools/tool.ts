import type { z } from 'zod';
import type { Logger } from '../core/logger.js';
import type { CredentialAccessor } from './credentials.js';
import type { ConnectorInstanceConfig } from './connector.js';

/** read: no side effect. write: changes data the employee owns. high: needs an approver who is not the requester. */
export type RiskTier = 'read' | 'write' | 'high';

export interface ActingUser {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly displayName: string;
}

export interface ToolContext {
  readonly tenantId: string;
  readonly runId: string;
  readonly stepId: string;
  readonly user: ActingUser;
  /** The configured connector instance this tool belongs to (absent for built-in tools). */
  readonly connector?: ConnectorInstanceConfig;
  readonly credentials: CredentialAccessor;
  /** Runtime-issued: sha256(run, step, tool, canonical args). Map it to the system's native dedupe field. */
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

export type ReconcileResult<O> =
  | { readonly status: 'applied'; readonly output: O }
  | { readonly status: 'not_applied' }
  | { readonly status: 'unknown' };

/** What a read-only precheck found: the action is needed, or it would change nothing (here is why). */
export type PrecheckResult<O> =
  | { readonly status: 'needed' }
  | { readonly status: 'not_needed'; readonly output: O };

export interface ToolDefinition<I = unknown, O = unknown> {
  /** Local name, snake_case (e.g. "create_incident"); the registry prefixes the connector instance id. */
  readonly name: string;
  /** One or two sentences for the model and for tool selection. */
  readonly description: string;
  readonly input: z.ZodType<I>;
  readonly output: z.ZodType<O>;
  readonly risk: RiskTier;
  /** True when repeating the call with the same idempotency key cannot change the outcome. */
  readonly idempotent: boolean;
  /** Connector scopes the employee's grant must include. */
  readonly scopes: readonly string[];
  execute(ctx: ToolContext, args: I): Promise<O>;
  /**
   * Reads back whether a call that was `started` but never recorded as finished took effect, using
   * the idempotency key the call carried. Required in spirit for non-idempotent writes: without it a
   * crashed call is marked `unverified` and reported to the employee, never repeated.
   */
  reconcile?(ctx: ToolContext, args: I): Promise<ReconcileResult<O>>;
  /**
   * Read-only look before an approver is asked: when the action would change nothing (unlocking an
   * account that is not locked) it returns `not_needed` with the output the call would have had, and
   * the step succeeds with it: no approval, no call. Must not change anything; on error the
   * approver is asked as usual.
   */
  precheck?(ctx: ToolContext, args: I): Promise<PrecheckResult<O>>;
  /** One line for the approval card and the plan checklist, e.g. "Reset the Okta password of ada@acme.test". */
  describe?(args: I): string;
  /**
   * What happened, in one sentence for the employee ("Okta emailed a reset link to “ada@acme.test”"),
   * shown in the checklist and in answers written without a model. Values from the output are
   * untrusted: pass them through quoteData (src/tools/outputSummary.ts).
   */
  summarize?(output: O, args: I): string;
}

export function defineTool<I, O>(definition: ToolDefinition<I, O>): ToolDefinition<I, O> {
  if (!/^[a-z][a-z0-9_]{1,48}$/.test(definition.name)) {
    throw new Error(`tool name "${definition.name}" must be snake_case, 2-49 characters`);
  }
  return definition;
}

/** A tool result as the planner and the model see it: always data, never instructions. */
export type ToolResult =
  | { readonly ok: true; readonly data: unknown; readonly untrusted: true }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string }; readonly untrusted: true };
