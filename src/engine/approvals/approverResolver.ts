import type { TenantConfig } from '../../config/tenantConfig.js';
import type { ApproverRef } from '../../events/runEvent.js';
import type { Directory } from '../persistence/directory.js';

/**
 * Turns policy approver specs into tenant users: group names via approverGroups (emails → users) and
 * via the IdP groups mapped to them, and "manager" (the requester's manager, read now, so a manager
 * change from the directory applies to the next request). The requester is never eligible, whatever the policy says.
 */
export async function resolveApprovers(directory: Directory, tenant: TenantConfig, requesterId: string, specs: readonly string[], at: Date = new Date()): Promise<ApproverRef[]> {
  const emails = new Set<string>();
  const groups: string[] = [];
  let includeManager = false;
  for (const spec of specs) {
    if (spec === 'manager') includeManager = true;
    else {
      groups.push(spec);
      for (const email of tenant.approverGroups[spec] ?? []) emails.add(email.toLowerCase());
    }
  }
  const users = emails.size > 0 ? await directory.usersByEmails(tenant.id, [...emails]) : [];
  // Members from the directory: IdP groups mapped to this approver group (SCIM, tenant scim.groupMappings).
  if (groups.length > 0) users.push(...(await directory.usersInApproverGroups(tenant.id, groups)));
  if (includeManager) {
    const requester = await directory.userById(tenant.id, requesterId);
    if (requester?.managerId) {
      const manager = await directory.userById(tenant.id, requester.managerId);
      if (manager) users.push(manager);
    }
  }
  const unique = new Map<string, ApproverRef>();
  for (const user of users) {
    // A person removed from the tenants file can no longer approve anything.
    if (user.id === requesterId || user.deactivatedAt) continue;
    unique.set(user.id, { userId: user.id, displayName: user.displayName, email: user.email });
  }
  return routeToDelegates(directory, tenant.id, requesterId, [...unique.values()], at);
}

/**
 * Out of office: an approver with a delegation in force is replaced by their delegate. The delegate
 * must be someone else than the requester and still active; otherwise the approver stays, so a
 * delegation can never let a requester approve their own request or leave a request with nobody.
 */
async function routeToDelegates(directory: Directory, tenantId: string, requesterId: string, approvers: ApproverRef[], at: Date): Promise<ApproverRef[]> {
  const delegations = await directory.activeDelegations(tenantId, approvers.map((a) => a.userId), at);
  if (delegations.length === 0) return approvers;
  const delegateOf = new Map<string, string>();
  for (const { approverId, delegateId } of delegations) if (!delegateOf.has(approverId)) delegateOf.set(approverId, delegateId);
  const delegates = new Map((await directory.usersByIds(tenantId, [...delegateOf.values()])).filter((u) => u.id !== requesterId && !u.deactivatedAt).map((u) => [u.id, u]));
  const routed = new Map<string, ApproverRef>();
  for (const approver of approvers) {
    const delegate = delegates.get(delegateOf.get(approver.userId) ?? '');
    const ref = delegate ? { userId: delegate.id, displayName: delegate.displayName, email: delegate.email } : approver;
    routed.set(ref.userId, ref);
  }
  return [...routed.values()];
}
