import type { RiskTier } from '../tools/tool.js';
import type { McpRiskRule } from './mcpServerConfig.js';

/** The MCP tool annotations that matter for governance; all are hints from the server. */
export interface McpToolHints {
  readonly readOnlyHint?: boolean | undefined;
  readonly destructiveHint?: boolean | undefined;
  readonly idempotentHint?: boolean | undefined;
}

export interface McpGovernance {
  readonly risk: RiskTier;
  readonly idempotent: boolean;
  /** Where the tier came from, for the log and the docs ("config", "annotations", "default"). */
  readonly source: 'config' | 'annotations' | 'default';
}

export function matchesToolPattern(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(name);
}

/**
 * The tenant's word first (by pattern), then the server's annotations, else the safe default: an
 * action that changes something and needs an approver. Following the MCP spec, a tool that is not
 * read-only is destructive unless it says `destructiveHint: false`; only that explicit "not
 * destructive" makes it a plain write the employee may run alone.
 */
export function governanceFor(input: { localName: string; namespaced: string; hints?: McpToolHints | undefined; rules: readonly McpRiskRule[] }): McpGovernance {
  const rule = input.rules.find((r) => r.tools.some((p) => matchesToolPattern(p, input.localName) || matchesToolPattern(p, input.namespaced)));
  if (rule) return { risk: rule.risk, idempotent: rule.idempotent ?? rule.risk === 'read', source: 'config' };
  const hints = input.hints;
  if (hints?.readOnlyHint === true) return { risk: 'read', idempotent: true, source: 'annotations' };
  if (hints?.destructiveHint === false) return { risk: 'write', idempotent: hints.idempotentHint === true, source: 'annotations' };
  if (hints?.readOnlyHint === false || hints?.destructiveHint === true) {
    return { risk: 'high', idempotent: hints.idempotentHint === true, source: 'annotations' };
  }
  return { risk: 'high', idempotent: false, source: 'default' };
}
