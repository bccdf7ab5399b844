import type { Prisma, PrismaClient, Step } from '../../generated/prisma/client.js';
import type { JsonValue } from '../../core/json.js';
import type { StepStatus } from '../../events/runEvent.js';
import type { PlanStep } from '../plan.js';
import { toDbJson } from './prismaJson.js';

export class StepsTable {
  constructor(private readonly prisma: PrismaClient) {}

  /** All steps of one run, oldest plan first, in plan order. */
  listForRun(tenantId: string, runId: string): Promise<Step[]> {
    return this.prisma.step.findMany({ where: { tenantId, runId }, orderBy: [{ planVersion: 'asc' }, { createdAt: 'asc' }] });
  }

  /** Inserts a plan's steps and returns the rows written (the engine keeps them in memory for the attempt). */
  insertPlan(tx: Prisma.TransactionClient, tenantId: string, runId: string, planVersion: number, steps: readonly PlanStep[]): Promise<Step[]> {
    const base = Date.now();
    return tx.step.createManyAndReturn({
      data: steps.map((step, index) => ({
        tenantId,
        runId,
        planVersion,
        key: step.id,
        tool: step.tool,
        title: step.title,
        args: step.args as Prisma.InputJsonObject,
        dependsOn: step.dependsOn,
        // Explicit, increasing timestamps keep plan order stable when rows are read back.
        createdAt: new Date(base + index),
      })),
      skipDuplicates: true,
    });
  }

  async update(
    tenantId: string,
    stepId: string,
    data: { status: StepStatus; output?: JsonValue; error?: { code: string; message: string } | null; startedAt?: Date; finishedAt?: Date },
    fromStatuses?: readonly StepStatus[],
  ): Promise<boolean> {
    const result = await this.prisma.step.updateMany({
      where: { tenantId, id: stepId, ...(fromStatuses ? { status: { in: [...fromStatuses] } } : {}) },
      data: {
        status: data.status,
        ...(data.output !== undefined ? { output: toDbJson(data.output) } : {}),
        ...(data.error !== undefined ? { error: toDbJson(data.error) } : {}),
        ...(data.startedAt ? { startedAt: data.startedAt } : {}),
        ...(data.finishedAt ? { finishedAt: data.finishedAt } : {}),
      },
    });
    return result.count === 1;
  }
}
