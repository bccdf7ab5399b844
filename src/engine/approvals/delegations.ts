import { z } from 'zod';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';

/** The longest out-of-office period one delegation may cover; longer absences are a policy change. */
const MAX_PERIOD_MS = 90 * 24 * 60 * 60 * 1000;

export const delegationInputSchema = z.object({
  delegateEmail: z.string().trim().email('Give the delegate\'s work email address.').max(320),
  startsAt: z.coerce.date().optional(),
  endsAt: z.coerce.date({ message: 'Say until when the delegate should decide for you.' }),
});
export type DelegationInput = z.infer<typeof delegationInputSchema>;

export interface Delegation {
  readonly id: string;
  readonly delegate: { readonly userId: string; readonly displayName: string; readonly email: string };
  readonly startsAt: string;
  readonly endsAt: string;
}

/**
 * Out of office: an approver names a colleague who decides in their place for a period. Requests
 * made during the period go to the delegate (approverResolver); requests already waiting keep their
 * approvers. Only active people of the same tenant can be named, never oneself.
 */
export class ApprovalDelegations {
  constructor(private readonly prisma: PrismaClient, private readonly now: () => Date = () => new Date()) {}

  async set(tenantId: string, approverId: string, input: DelegationInput): Promise<Delegation> {
    const startsAt = input.startsAt ?? this.now();
    if (input.endsAt.getTime() <= startsAt.getTime()) throw new ValidationError('delegation ends before it starts', 'The end of your absence must be after its start.');
    if (input.endsAt.getTime() <= this.now().getTime()) throw new ValidationError('delegation already over', 'That period is already over.');
    if (input.endsAt.getTime() - startsAt.getTime() > MAX_PERIOD_MS) throw new ValidationError('delegation too long', 'A delegation can cover at most 90 days.');
    const delegate = await this.prisma.user.findFirst({ where: { tenantId, email: { equals: input.delegateEmail, mode: 'insensitive' }, deactivatedAt: null } });
    if (!delegate) throw new NotFoundError('that colleague', `I could not find an active colleague with the email ${input.delegateEmail}.`);
    if (delegate.id === approverId) throw new ValidationError('delegation to oneself', 'Name someone else than yourself as your delegate.');
    // One delegation per approver at a time: a new one replaces whatever was set before.
    const row = await this.prisma.$transaction(async (tx) => {
      await tx.approvalDelegation.deleteMany({ where: { tenantId, approverId } });
      return tx.approvalDelegation.create({ data: { tenantId, approverId, delegateId: delegate.id, startsAt, endsAt: input.endsAt } });
    });
    return { id: row.id, delegate: { userId: delegate.id, displayName: delegate.displayName, email: delegate.email }, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() };
  }

  async clear(tenantId: string, approverId: string): Promise<number> {
    return (await this.prisma.approvalDelegation.deleteMany({ where: { tenantId, approverId } })).count;
  }
}
