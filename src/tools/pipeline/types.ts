import type { TenantConfig } from '../../config/tenantConfig.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { Logger } from '../../core/logger.js';
import type { CredentialAccessor } from '../credentials.js';
import type { RegisteredTool } from '../registry.js';
import type { ActingUser, ToolResult } from '../tool.js';

/** Everything one tool call needs; built by the engine for one step. */
export interface ToolCallRequest {
  readonly tenant: TenantConfig;
  readonly runId: string;
  /** The step's row id and its plan key ("s1"). */
  readonly step: { readonly id: string; readonly key: string };
  readonly tool: RegisteredTool;
  /** Arguments with every `$ref` already resolved. */
  readonly args: JsonObject;
  readonly user: ActingUser;
  readonly credentials: CredentialAccessor;
  /** The arguments derive from tool output (prompt-injection defence: writes then always need approval). */
  readonly tainted: boolean;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The worker's fencing token for the run (checked when the call's start is recorded). */
  readonly fence?: number;
  /** Gate before the side effect: throws when this worker no longer holds the run. */
  readonly confirmLease?: () => Promise<void>;
}

export type ToolCallStatus = 'started' | 'succeeded' | 'failed' | 'unverified';

export interface ToolCallRecord {
  readonly id: string;
  /** The step row (one per plan version) the call was made for. */
  readonly stepId: string;
  readonly status: ToolCallStatus;
  readonly attempts: number;
  readonly result: JsonValue | null;
  readonly error: { code: string; message: string } | null;
}

/** Durable log of tool calls: the row exists (status started) before the tool runs. */
export interface ToolCallStore {
  /** Inserts the call; when the idempotency key was already recorded, returns that row instead. */
  begin(input: {
    tenantId: string;
    runId: string;
    stepId: string;
    tool: string;
    connectorId?: string;
    actingUserId: string;
    actingIdentity: string;
    idempotencyKey: string;
    idempotent: boolean;
    risk: string;
    args: JsonObject;
    /** The run's fencing token held by this worker; the start is refused once another worker took the run. */
    fence?: number;
  }): Promise<{ record: ToolCallRecord; created: boolean }>;
  finish(
    tenantId: string,
    id: string,
    outcome: { status: Exclude<ToolCallStatus, 'started'>; attempts: number; durationMs: number; result?: JsonValue; error?: { code: string; message: string } },
  ): Promise<void>;
}

export type ToolOutcome =
  | { readonly status: 'succeeded'; readonly result: ToolResult & { ok: true }; readonly output: JsonValue }
  | { readonly status: 'failed' | 'unverified'; readonly result: ToolResult & { ok: false } };

/** Points where a crash test may kill the process (the side effect is before or after). */
export type BoundaryHook = (point: string, info: { readonly runId: string; readonly stepKey?: string }) => Promise<void> | void;
