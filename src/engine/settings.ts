import type { ConnectorInstanceConfig } from '../tools/connector.js';

export interface EngineSettings {
  /** Conversation lock lease; renewed while a worker drives the run. A dead worker's runs resume after it. */
  readonly leaseMs: number;
  /** Delay before retrying a run whose conversation is busy. */
  readonly busyRetryMs: number;
  /** Planner rounds per run (plan → observe → replan ...). */
  readonly maxIterations: number;
  /** Worker pickups without reaching a stable state before the run is dead-lettered (crash loop). */
  readonly maxRunAttempts: number;
  readonly historyTurns: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  // Short, renewed every leaseMs / 6: a killed worker's runs are taken over within about 4 s.
  leaseMs: 3_000,
  busyRetryMs: 1_000,
  maxIterations: 6,
  maxRunAttempts: 8,
  historyTurns: 20,
};

export interface LinkUrlInput {
  readonly tenantId: string;
  readonly userId: string;
  readonly connectorId: string;
  readonly runId: string;
}

export interface CredentialsForInput {
  readonly tenantId: string;
  readonly userId: string;
  readonly connector: ConnectorInstanceConfig;
}
