import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import { defineTool, type ToolContext, type ToolDefinition } from '../../../src/tools/tool.js';
import { textToAdf } from '../adf.js';
import type { JiraApi } from '../api.js';
import { guardedWrite, IDEMPOTENCY_PROPERTY, idempotencyLabel, idempotencyPropertyValue, jqlString } from '../idempotency.js';
import { browseUrl } from '../normalize.js';
import { quoteData, sentence } from '../../shared/summary.js';
import { issueTypeWord, jiraApiFor, quote, reconcileWith } from './context.js';

export const ISSUE_TYPES = ['Bug', 'Task', 'Story'] as const;

/** People say "P2"; Jira's default scheme says "High". */
const PRIORITY_ALIASES: Readonly<Record<string, string>> = { p1: 'Highest', p2: 'High', p3: 'Medium', p4: 'Low', p5: 'Lowest' };

const input = z.object({
  project: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{1,9}$/).describe('Project key, e.g. NET for the network team or HELP for the IT help desk'),
  summary: z.string().trim().min(1).max(255).describe('One-line title of the issue'),
  description: z.string().max(30_000).optional().describe('Longer explanation in plain text'),
  issue_type: z.enum(ISSUE_TYPES).optional().describe('Kind of issue (default Task)'),
  priority: z.string().min(1).max(40).optional().describe('Priority name (Highest, High, Medium, Low, Lowest) or P1-P5'),
});
type Input = z.infer<typeof input>;

const output = z.object({ key: z.string(), id: z.string(), url: z.string(), project: z.string(), summary: z.string(), issueType: z.string() });
type Output = z.infer<typeof output>;

function priorityName(priority: string | undefined): string | undefined {
  if (!priority) return undefined;
  return PRIORITY_ALIASES[priority.trim().toLowerCase()] ?? priority.trim();
}

/** The issue an earlier attempt with this idempotency key created, if any: label narrows, the property proves. */
async function findCreated(api: JiraApi, ctx: ToolContext, args: Input): Promise<Output | undefined> {
  const site = await api.client.currentSite();
  const jql = `labels = ${jqlString(idempotencyLabel(ctx.idempotencyKey))} AND issue.property[${IDEMPOTENCY_PROPERTY}].key = ${jqlString(ctx.idempotencyKey)}`;
  const page = await api.search({ jql, maxResults: 1, fields: ['summary', 'project', 'issuetype'] });
  const issue = page.issues[0];
  if (!issue?.key) return undefined;
  const f = issue.fields ?? {};
  return { key: issue.key, id: issue.id, url: browseUrl(site, issue.key), project: f.project?.key ?? args.project.toUpperCase(), summary: f.summary ?? args.summary, issueType: f.issuetype?.name ?? args.issue_type ?? 'Task' };
}

export function createIssueTool(config: ConnectorInstanceConfig): ToolDefinition<Input, Output> {
  return defineTool<Input, Output>({
    name: 'create_issue',
    description: 'Creates a Jira issue (bug, task or story) in a project as the employee, with an optional description and priority.',
    input,
    output,
    risk: 'write',
    idempotent: false,
    scopes: ['write:jira-work'],
    describe: (args) => `Create a Jira ${args.issue_type ?? 'Task'} in ${args.project.toUpperCase()}: ${quote(args.summary)}`,
    summarize: (out, args) => {
      const priority = priorityName(args.priority);
      return sentence(`Created Jira ${issueTypeWord(out.issueType)} ${quoteData(out.key, 24)}${priority ? ` with priority ${quoteData(priority, 20)}` : ''}: ${quoteData(out.summary, 70)}`);
    },
    async execute(ctx, args) {
      const api = jiraApiFor(config, ctx);
      const site = await api.client.currentSite();
      const projectKey = args.project.toUpperCase();
      const issueType = args.issue_type ?? 'Task';
      const priority = priorityName(args.priority);
      return guardedWrite({
        signal: ctx.signal,
        readBack: () => findCreated(api, ctx, args),
        write: async () => {
          const created = await api.createIssue(
            { projectKey, summary: args.summary, issueType, labels: [idempotencyLabel(ctx.idempotencyKey)], ...(args.description ? { description: textToAdf(args.description) } : {}), ...(priority ? { priority } : {}) },
            idempotencyPropertyValue(ctx.idempotencyKey, ctx.runId, ctx.stepId),
          );
          return { key: created.key, id: created.id, url: browseUrl(site, created.key), project: projectKey, summary: args.summary, issueType };
        },
      });
    },
    reconcile: (ctx, args) => reconcileWith(ctx, () => findCreated(jiraApiFor(config, ctx), ctx, args)),
  });
}
