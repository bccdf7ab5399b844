import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { JiraActionError } from '../errors.js';
import { guardedWrite } from '../idempotency.js';
import { browseUrl } from '../normalize.js';
import { quoteData, sentence } from '../../shared/summary.js';
import { ISSUE_KEY, jiraApiFor, normaliseKey, sameName } from './context.js';

const input = z.object({
  key: z.string().regex(ISSUE_KEY).describe('Issue key, e.g. NET-12'),
  to: z.string().trim().min(1).max(60).describe('Target status or transition name, e.g. "In Progress", "Done" or "Start Progress"'),
});
type Input = z.infer<typeof input>;

const output = z.object({ key: z.string(), from: z.string(), status: z.string(), transition: z.string().optional(), changed: z.boolean(), url: z.string() });
type Output = z.infer<typeof output>;

/**
 * Transition ids differ per workflow, so the target is looked up by name on every attempt. The
 * current status is the guard: an issue already where it should be is left alone, which also makes
 * a retry after a lost response harmless.
 */
export function transitionIssueTool(config: ConnectorInstanceConfig): ToolDefinition<Input, Output> {
  return defineTool<Input, Output>({
    name: 'transition_issue',
    description: 'Moves a Jira issue through its workflow to a status (or by transition name), as the employee. Does nothing if the issue already has that status.',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: ['write:jira-work'],
    describe: (args) => `Move Jira issue ${normaliseKey(args.key)} to "${args.to.trim()}"`,
    summarize: (out) => {
      const key = quoteData(out.key, 24);
      const status = quoteData(out.status, 40);
      if (!out.changed) return sentence(`Jira issue ${key} was already ${status}, so nothing changed`);
      return sentence(sameName(out.from, out.status) ? `Moved Jira issue ${key} to ${status}` : `Moved Jira issue ${key} from ${quoteData(out.from, 40)} to ${status}`);
    },
    async execute(ctx, args) {
      const api = jiraApiFor(config, ctx);
      const site = await api.client.currentSite();
      const key = normaliseKey(args.key);
      const url = browseUrl(site, key);
      let from: string | undefined;
      let planned: { status: string; transition: string } | undefined;
      const currentStatus = async (): Promise<string> => (await api.getIssue(key, ['status'])).fields?.status?.name ?? 'Unknown';
      return guardedWrite({
        signal: ctx.signal,
        readBack: async () => {
          const status = await currentStatus();
          from ??= status;
          if (planned && sameName(status, planned.status)) return { key, from, status, transition: planned.transition, changed: true, url };
          if (!planned && sameName(status, args.to)) return { key, from, status, changed: false, url };
          return undefined;
        },
        write: async () => {
          const transitions = await api.transitions(key);
          const match = transitions.find((t) => sameName(t.name, args.to)) ?? transitions.find((t) => sameName(t.to.name, args.to));
          const current = from ?? 'its current status';
          if (!match) {
            const options = transitions.map((t) => `${t.name} (to ${t.to.name})`).join(', ');
            throw new JiraActionError(
              'jira_transition_unavailable',
              `no transition named or leading to "${args.to}" on ${key}; available: ${options || 'none'}`,
              transitions.length === 0
                ? `You cannot change the status of ${key}: only its assignee or a project administrator can.`
                : `${key} cannot go to "${args.to}" from ${current}. Possible next steps: ${options}.`,
            );
          }
          planned = { status: match.to.name, transition: match.name };
          await api.transition(key, match.id);
          return { key, from: from ?? match.to.name, status: match.to.name, transition: match.name, changed: true, url };
        },
      });
    },
  });
}
