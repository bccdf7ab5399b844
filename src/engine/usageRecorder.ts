import type { ModelUsage } from '../planner/planner.js';
import type { UsageSink } from '../budget/runBudget.js';
import type { RunsTable } from './persistence/runsTable.js';
import type { UsageLedgerTable } from './persistence/usageLedgerTable.js';

/** Makes settled usage durable: the run's counters and one usage_ledger row per model call. */
export class UsageRecorder implements UsageSink {
  constructor(
    private readonly runs: RunsTable,
    private readonly ledger: UsageLedgerTable,
  ) {}

  async recordModelUsage(input: { tenantId: string; userId: string; runId: string; usage: ModelUsage; day: Date }): Promise<void> {
    const { usage } = input;
    await this.ledger.append({
      tenantId: input.tenantId,
      userId: input.userId,
      runId: input.runId,
      kind: 'model',
      tier: usage.tier,
      model: usage.model,
      inputTokens: usage.inputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      outputTokens: usage.outputTokens,
      costMicros: usage.costMicros,
      day: input.day,
    });
    await this.runs.addUsage(input.tenantId, input.runId, { tokens: usage.inputTokens + usage.outputTokens, costMicros: usage.costMicros });
  }

  async recordStep(input: { tenantId: string; runId: string }): Promise<void> {
    await this.runs.addUsage(input.tenantId, input.runId, { steps: 1 });
  }
}
