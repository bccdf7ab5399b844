import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { fit, quoteData } from '../../shared/summary.js';
import { browseUrl } from '../normalize.js';
import { ISSUE_KEY, jiraApiFor, normaliseKey } from './context.js';

const input = z.object({ key: z.string().regex(ISSUE_KEY).describe('Issue key, e.g. NET-12') });
type Input = z.infer<typeof input>;

const output = z.object({
  key: z.string(),
  status: z.string().describe('Where the issue is now'),
  transitions: z.array(z.object({ name: z.string().describe('Transition name, e.g. "Start Progress"'), to: z.string().describe('Status it leads to') })),
  url: z.string(),
});
type Output = z.infer<typeof output>;

/**
 * The workflow steps this employee may take on an issue now (`GET /issue/{key}/transitions`), so
 * "what can I move NET-7 to?" is answered before anything is moved. Jira lists only transitions the
 * employee is allowed to perform; none means they may not change its status.
 */
export function listTransitionsTool(config: ConnectorInstanceConfig): ToolDefinition<Input, Output> {
  return defineTool<Input, Output>({
    name: 'list_transitions',
    description: 'Lists the statuses a Jira issue can be moved to next by the employee (its available workflow transitions).',
    input,
    output,
    risk: 'read',
    idempotent: true,
    scopes: ['read:jira-work'],
    describe: (args) => `List where Jira issue ${normaliseKey(args.key)} can move next`,
    summarize: (out) => {
      const key = quoteData(out.key, 24);
      if (out.transitions.length === 0) return fit(`Jira issue ${key} is ${quoteData(out.status, 24)}, and you cannot move it from there (only its assignee or a project administrator can)`);
      return fit(`Jira issue ${key} is ${quoteData(out.status, 24)}; it can move to ${out.transitions.map((t) => quoteData(t.to, 24)).join(', ')}`);
    },
    async execute(ctx, args) {
      const api = jiraApiFor(config, ctx);
      const site = await api.client.currentSite();
      const key = normaliseKey(args.key);
      const issue = await api.getIssue(key, ['status']);
      const transitions = await api.transitions(key);
      return {
        key, status: issue.fields?.status?.name ?? 'Unknown', url: browseUrl(site, key),
        transitions: transitions.filter((t) => t.isAvailable !== false).map((t) => ({ name: t.name, to: t.to.name })),
      };
    },
  });
}
