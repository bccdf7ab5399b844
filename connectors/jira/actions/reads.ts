import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { collectPages } from '../client.js';
import { issueDetailSchema, issueSummarySchema, toIssueDetail, toIssueSummary, type IssueDetail } from '../normalize.js';
import { fit, quoteData, quotedIn } from '../../shared/summary.js';
import { ISSUE_KEY, issueTypeWord, jiraApiFor, normaliseKey, quote } from './context.js';

export const DEFAULT_MY_ISSUES_JQL = 'assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC';
const PAGE_SIZE = 50;

const listInput = z.object({
  jql: z.string().min(1).max(2000).optional().describe('Jira JQL to search with instead of "my open issues", e.g. project = NET AND status = "In Progress"'),
  limit: z.number().int().min(1).max(100).optional().describe('Maximum number of issues to return (default 20)'),
});
const listOutput = z.object({ jql: z.string(), count: z.number().int(), truncated: z.boolean(), issues: z.array(issueSummarySchema) });

const getInput = z.object({ key: z.string().regex(ISSUE_KEY).describe('Issue key, e.g. NET-12') });

export function readTools(config: ConnectorInstanceConfig): ToolDefinition[] {
  const listMyIssues = defineTool<z.infer<typeof listInput>, z.infer<typeof listOutput>>({
    name: 'list_my_issues',
    description: 'Lists Jira issues assigned to the employee that are not done, or the issues matching a JQL query, as the employee sees them.',
    input: listInput,
    output: listOutput,
    risk: 'read',
    idempotent: true,
    scopes: ['read:jira-work'],
    describe: (args) => (args.jql ? `Search Jira for ${quote(args.jql)}` : 'List your open Jira issues'),
    async execute(ctx, args) {
      const api = jiraApiFor(config, ctx);
      const site = await api.client.currentSite();
      const jql = args.jql ?? DEFAULT_MY_ISSUES_JQL;
      const { items, truncated } = await collectPages(async (token, pageSize) => {
        const page = await api.search({ jql, maxResults: pageSize, ...(token ? { nextPageToken: token } : {}) });
        return { items: page.issues, nextPageToken: page.nextPageToken, isLast: page.isLast };
      }, args.limit ?? 20, PAGE_SIZE);
      return { jql, count: items.length, truncated, issues: items.map((issue) => toIssueSummary(issue, site)) };
    },
  });

  const getIssue = defineTool<z.infer<typeof getInput>, IssueDetail>({
    name: 'get_issue',
    description: 'Reads one Jira issue (status, assignee, description, latest comments) by its key, if the employee may see it.',
    input: getInput,
    output: issueDetailSchema,
    risk: 'read',
    idempotent: true,
    scopes: ['read:jira-work'],
    describe: (args) => `Look up Jira issue ${normaliseKey(args.key)}`,
    summarize: (out) => {
      const owner = out.assignee ? `assigned to ${quoteData(out.assignee, 30)}` : 'unassigned';
      const priority = out.priority ? `, priority ${quoteData(out.priority, 20)}` : '';
      const latest = out.comments.at(-1);
      return fit(
        `Jira ${issueTypeWord(out.issueType)} ${quoteData(out.key, 24)} (${quoteData(out.summary, 50)}) is ${quoteData(out.status, 24)}${priority}, ${owner}`,
        latest ? (room) => quotedIn(`; latest comment by ${quoteData(latest.author, 30)}: `, latest.text, room) : undefined,
      );
    },
    async execute(ctx, args) {
      const api = jiraApiFor(config, ctx);
      const site = await api.client.currentSite();
      return toIssueDetail(await api.getIssue(normaliseKey(args.key)), site);
    },
  });

  return [listMyIssues, getIssue] as ToolDefinition[];
}
