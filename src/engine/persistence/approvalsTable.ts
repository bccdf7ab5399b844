import type { Approval, PrismaClient } from '../../generated/prisma/client.js';
import type { JsonObject } from '../../core/json.js';
import { toDbJson } from './prismaJson.js';

export interface NewApproval {
  readonly tenantId: string;
  readonly runId: string;
  readonly stepId: string;
  readonly tool: string;
  readonly action: string;
  readonly args: JsonObject;
  readonly argsHash: string;
  readonly risk: string;
  readonly reason: string;
  readonly requesterId: string;
  readonly approverIds: readonly string[];
  readonly expiresAt: Date;
  /** The card content (src/tools/actionView.ts), stored so surfaces read later show the same card. */
  readonly view?: JsonObject;
}

export class ApprovalsTable {
  constructor(private readonly prisma: PrismaClient) {}

  /** One approval per step (unique step_id): a resumed run finds the one it already asked for. */
  async createOnce(input: NewApproval): Promise<{ approval: Approval; created: boolean }> {
    const existing = await this.forStep(input.tenantId, input.stepId);
    if (existing) return { approval: existing, created: false };
    const rows = await this.prisma.approval.createManyAndReturn({
      data: [{ ...input, approverIds: [...input.approverIds], args: toDbJson(input.args), ...(input.view ? { view: toDbJson(input.view) } : {}) }],
      skipDuplicates: true,
    });
    const created = rows[0];
    if (created) return { approval: created, created: true };
    const raced = await this.forStep(input.tenantId, input.stepId);
    if (!raced) throw new Error('approval vanished after a conflicting insert');
    return { approval: raced, created: false };
  }

  get(tenantId: string, id: string): Promise<Approval | null> {
    return this.prisma.approval.findFirst({ where: { tenantId, id } });
  }

  /** Looks an id up without knowing the tenant, only to tell "wrong tenant" apart from "unknown". */
  async tenantOf(id: string): Promise<string | null> {
    const row = await this.prisma.approval.findUnique({ where: { id }, select: { tenantId: true } });
    return row?.tenantId ?? null;
  }

  forStep(tenantId: string, stepId: string): Promise<Approval | null> {
    return this.prisma.approval.findFirst({ where: { tenantId, stepId } });
  }

  /**
   * createOnce, unless the same requester already has the same action (tool + argument hash) waiting
   * for another step: then nothing is created and that request is returned, `merged`. Requests for
   * one (tenant, requester, tool, arguments) are serialized by a transaction-scoped advisory lock,
   * so two identical requests in the same instant still ask only once.
   */
  async createUnlessPending(input: NewApproval): Promise<{ approval: Approval; created: boolean; merged: boolean }> {
    const lockKey = `approval|${input.tenantId}|${input.requesterId}|${input.tool}|${input.argsHash}`;
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`;
      const own = await tx.approval.findFirst({ where: { tenantId: input.tenantId, stepId: input.stepId } });
      if (own) return { approval: own, created: false, merged: false };
      const same = await tx.approval.findFirst({
        where: { tenantId: input.tenantId, requesterId: input.requesterId, tool: input.tool, argsHash: input.argsHash, status: 'pending', expiresAt: { gt: new Date() } },
        orderBy: { createdAt: 'asc' },
      });
      if (same) return { approval: same, created: false, merged: true };
      const created = await tx.approval.create({
        data: { ...input, approverIds: [...input.approverIds], args: toDbJson(input.args), ...(input.view ? { view: toDbJson(input.view) } : {}) },
      });
      return { approval: created, created: true, merged: false };
    });
  }

  /** The atomic decision: of two simultaneous deciders exactly one gets a row back. */
  async decide(tenantId: string, id: string, input: { status: 'approved' | 'denied'; deciderId: string; comment?: string }): Promise<Approval | null> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE approvals SET status = ${input.status}, decided_by_id = ${input.deciderId}::uuid, decided_at = now(), comment = ${input.comment ?? null}
      WHERE id = ${id}::uuid AND tenant_id = ${tenantId} AND status = 'pending' AND expires_at > now()
      RETURNING id`;
    if (rows.length !== 1) return null;
    return this.get(tenantId, id);
  }

  /** Marks pending approvals past their expiry; returns the ones this call expired. */
  async expireDue(tenantId: string, onlyId?: string): Promise<Approval[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE approvals SET status = 'expired', decided_at = now()
      WHERE tenant_id = ${tenantId} AND status = 'pending' AND expires_at <= now() AND (${onlyId ?? null}::uuid IS NULL OR id = ${onlyId ?? null}::uuid)
      RETURNING id`;
    if (rows.length === 0) return [];
    return this.prisma.approval.findMany({ where: { tenantId, id: { in: rows.map((r) => r.id) } } });
  }
}
