import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import { defineTool, type ToolContext, type ToolDefinition } from '../../../src/tools/tool.js';
import { textToAdf } from '../adf.js';
import type { JiraApi } from '../api.js';
import { carriesKey, guardedWrite, idempotencyPropertyValue } from '../idempotency.js';
import { browseUrl } from '../normalize.js';
import { quoteData, sentence } from '../../shared/summary.js';
import { ISSUE_KEY, jiraApiFor, normaliseKey, quote, reconcileWith } from './context.js';

const input = z.object({
  key: z.string().regex(ISSUE_KEY).describe('Issue key, e.g. NET-12'),
  comment: z.string().trim().min(1).max(30_000).describe('Comment text in plain text'),
});
type Input = z.infer<typeof input>;

const output = z.object({ key: z.string(), commentId: z.string(), url: z.string() });
type Output = z.infer<typeof output>;

/** A comment carrying this call's idempotency key as a comment property, newest first. */
async function findComment(api: JiraApi, ctx: ToolContext, key: string): Promise<Output | undefined> {
  const site = await api.client.currentSite();
  const found = (await api.recentComments(key)).find((c) => carriesKey(c.properties, ctx.idempotencyKey));
  return found ? { key, commentId: found.id, url: `${browseUrl(site, key)}?focusedCommentId=${found.id}` } : undefined;
}

export function addCommentTool(config: ConnectorInstanceConfig): ToolDefinition<Input, Output> {
  return defineTool<Input, Output>({
    name: 'add_comment',
    description: 'Adds a comment to a Jira issue as the employee.',
    input,
    output,
    risk: 'write',
    idempotent: false,
    scopes: ['write:jira-work'],
    describe: (args) => `Comment on Jira issue ${normaliseKey(args.key)}: ${quote(args.comment)}`,
    // The output carries no comment text: the employee's own words come from the arguments, quoted all the same.
    summarize: (out, args) => sentence(`Added your comment ${quoteData(args.comment, 80)} to Jira issue ${quoteData(out.key, 24)}`),
    async execute(ctx, args) {
      const api = jiraApiFor(config, ctx);
      const site = await api.client.currentSite();
      const key = normaliseKey(args.key);
      return guardedWrite({
        signal: ctx.signal,
        readBack: () => findComment(api, ctx, key),
        write: async () => {
          const created = await api.addComment(key, textToAdf(args.comment), idempotencyPropertyValue(ctx.idempotencyKey, ctx.runId, ctx.stepId));
          return { key, commentId: created.id, url: `${browseUrl(site, key)}?focusedCommentId=${created.id}` };
        },
      });
    },
    reconcile: (ctx, args) => reconcileWith(ctx, () => findComment(jiraApiFor(config, ctx), ctx, normaliseKey(args.key))),
  });
}
