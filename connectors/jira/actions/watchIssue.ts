import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { quoteData, sentence } from '../../shared/summary.js';
import { addWatcher, watchers } from '../editApi.js';
import { browseUrl } from '../normalize.js';
import { ISSUE_KEY, jiraApiFor, normaliseKey } from './context.js';

const input = z.object({ key: z.string().regex(ISSUE_KEY).describe('Issue key to follow, e.g. NET-12') });
type Input = z.infer<typeof input>;

const output = z.object({ key: z.string(), watching: z.boolean(), changed: z.boolean(), watchCount: z.number().int(), url: z.string() });
type Output = z.infer<typeof output>;

/**
 * Adds the employee (never anyone else) to an issue's watchers, so Jira notifies them of changes.
 * The watcher list is read first: already watching is reported, not repeated.
 */
export function watchIssueTool(config: ConnectorInstanceConfig): ToolDefinition<Input, Output> {
  return defineTool<Input, Output>({
    name: 'watch_issue',
    description: 'Starts watching a Jira issue for the employee, so Jira notifies them of its updates.',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: ['read:jira-work', 'write:jira-work', 'read:jira-user'],
    describe: (args) => `Watch Jira issue ${normaliseKey(args.key)} (you get notified of its updates)`,
    summarize: (out) => out.changed
      ? sentence(`You are now watching Jira issue ${quoteData(out.key, 24)}; Jira will notify you of updates`)
      : sentence(`You were already watching Jira issue ${quoteData(out.key, 24)}, so nothing changed`),
    async execute(ctx, args) {
      const api = jiraApiFor(config, ctx);
      const site = await api.client.currentSite();
      const key = normaliseKey(args.key);
      const url = browseUrl(site, key);
      const before = await watchers(api.client, key);
      if (before.isWatching) return { key, watching: true, changed: false, watchCount: before.watchCount, url };
      const me = await api.myself();
      await addWatcher(api.client, key, me.accountId);
      const after = await watchers(api.client, key);
      return { key, watching: after.isWatching, changed: true, watchCount: after.watchCount, url };
    },
  });
}
