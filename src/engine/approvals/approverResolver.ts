import type { TenantConfig } from '../../config/tenantConfig.js';
import type { ApproverRef } from '../../events/runEvent.js';
import type { Directory } from '../persistence/directory.js';

/**
 * Turns policy approver specs into tenant users: group names via approverGroups (emails → users) and
 * "manager" (the requester's manager). The requester is never eligible, whatever the policy says.
 */
export async function resolveApprovers(directory: Directory, tenant: TenantConfig, requesterId: string, specs: readonly string[]): Promise<ApproverRef[]> {
  const emails = new Set<string>();
  let includeManager = false;
  for (const spec of specs) {
    if (spec === 'manager') includeManager = true;
    else for (const email of tenant.approverGroups[spec] ?? []) emails.add(email.toLowerCase());
  }
  const users = emails.size > 0 ? await directory.usersByEmails(tenant.id, [...emails]) : [];
  if (includeManager) {
    const requester = await directory.userById(tenant.id, requesterId);
    if (requester?.managerId) {
      const manager = await directory.userById(tenant.id, requester.managerId);
      if (manager) users.push(manager);
    }
  }
  const unique = new Map<string, ApproverRef>();
  for (const user of users) {
    if (user.id === requesterId) continue;
    unique.set(user.id, { userId: user.id, displayName: user.displayName, email: user.email });
  }
  return [...unique.values()];
}
