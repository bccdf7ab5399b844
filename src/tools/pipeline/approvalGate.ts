import type { ApprovalRule, TenantConfig } from '../../config/tenantConfig.js';
import type { RiskTier } from '../tool.js';

export type ApprovalRequirement =
  | { readonly required: false }
  | { readonly required: true; readonly approverSpecs: readonly string[]; readonly reason: string; readonly expiresAfterMinutes: number };

function matchesPattern(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(name);
}

function ruleMatches(rule: ApprovalRule, tool: string, risk: RiskTier): boolean {
  if (!rule.tools && !rule.risk) return false;
  if (rule.tools && !rule.tools.some((p) => matchesPattern(p, tool))) return false;
  if (rule.risk && !rule.risk.includes(risk)) return false;
  return true;
}

/**
 * Stage 3: does this call need a human approver? `high` always does unless a rule explicitly
 * auto-approves it; any write/high call that is tainted always does (prompt-injection defence),
 * whatever the policy and the planner tier: its arguments derive from tool output (a `$ref`), or it
 * was planned while text that is not the requester's own words was in the prompt (tool output, an
 * answer restating it, another person's message, a summary of either, stored facts).
 */
export function approvalRequirement(tenant: TenantConfig, tool: string, risk: RiskTier, tainted: boolean): ApprovalRequirement {
  const policy = tenant.approvalPolicy;
  const rule = policy.rules.find((r) => ruleMatches(r, tool, risk));
  const approversOf = (r: ApprovalRule | undefined): readonly string[] =>
    r && r.approvers.length > 0 ? r.approvers : policy.defaultHighRiskApprovers;
  const require = (reason: string, specs: readonly string[]): ApprovalRequirement => ({
    required: true,
    approverSpecs: specs,
    reason,
    expiresAfterMinutes: policy.expiresAfterMinutes,
  });
  if (tainted && risk !== 'read') {
    return require('Its inputs came from another system\'s data or from messages that did not come from you, so a person must confirm it.', approversOf(rule));
  }
  if (rule?.autoApprove) return { required: false };
  if (rule && rule.approvers.length > 0) return require(risk === 'high' ? 'It is a high-risk action.' : 'Your organisation requires approval for this action.', rule.approvers);
  if (risk === 'high') return require('It is a high-risk action.', approversOf(rule));
  return { required: false };
}
