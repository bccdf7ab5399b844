import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import type { JiraApi } from '../api.js';
import { JiraActionError } from '../errors.js';
import { browseUrl } from '../normalize.js';
import { quoteData, sentence } from '../../shared/summary.js';
import type { JiraUser } from '../schemas.js';
import { ISSUE_KEY, jiraApiFor, normaliseKey, sameName } from './context.js';

const input = z.object({
  key: z.string().regex(ISSUE_KEY).describe('Issue key, e.g. NET-12'),
  assignee: z.string().trim().min(1).max(200).describe('Who should own the issue: an email address, a display name, or "me"'),
});
type Input = z.infer<typeof input>;

const output = z.object({ key: z.string(), assignee: z.string(), accountId: z.string(), changed: z.boolean(), url: z.string() });
type Output = z.infer<typeof output>;

const ACCOUNT_ID = /^([0-9a-f]{24}|\d{6}:[0-9a-f-]{36})$/i;

/** Jira's user search is a prefix match on name and email; an exact match wins, otherwise exactly one hit must remain. */
async function resolveAccount(api: JiraApi, who: string): Promise<JiraUser> {
  if (sameName(who, 'me') || sameName(who, 'myself')) return api.myself();
  if (ACCOUNT_ID.test(who)) return { accountId: who, displayName: who };
  const found = (await api.findUsers(who)).filter((u) => u.active !== false);
  const exact = found.filter((u) => (u.emailAddress && sameName(u.emailAddress, who)) || (u.displayName && sameName(u.displayName, who)));
  const candidates = exact.length > 0 ? exact : found;
  const [only] = candidates;
  if (only && candidates.length === 1) return only;
  if (candidates.length === 0) {
    throw new JiraActionError('jira_user_not_found', `no Jira user matches the assignee query`, `I could not find a Jira user called "${who}".`);
  }
  const names = candidates.slice(0, 5).map((u) => u.displayName ?? u.accountId).join(', ');
  throw new JiraActionError('jira_user_ambiguous', `${candidates.length} Jira users match the assignee query`, `"${who}" matches several people in Jira (${names}). Please say which one, for example by email.`);
}

export function assignIssueTool(config: ConnectorInstanceConfig): ToolDefinition<Input, Output> {
  return defineTool<Input, Output>({
    name: 'assign_issue',
    description: 'Assigns a Jira issue to a person (email, display name or "me"), as the employee.',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: ['write:jira-work', 'read:jira-user'],
    describe: (args) => `Assign Jira issue ${normaliseKey(args.key)} to ${sameName(args.assignee, 'me') ? 'you' : args.assignee.trim()}`,
    summarize: (out, args) => {
      const key = quoteData(out.key, 24);
      const self = sameName(args.assignee, 'me') || sameName(args.assignee, 'myself');
      const who = self ? `you (${quoteData(out.assignee, 60)})` : quoteData(out.assignee, 60);
      return out.changed
        ? sentence(`Assigned Jira issue ${key} to ${who}`)
        : sentence(`Jira issue ${key} was already assigned to ${who}, so nothing changed`);
    },
    async execute(ctx, args) {
      const api = jiraApiFor(config, ctx);
      const site = await api.client.currentSite();
      const key = normaliseKey(args.key);
      const target = await resolveAccount(api, args.assignee.trim());
      const current = (await api.getIssue(key, ['assignee'])).fields?.assignee;
      const result = { key, assignee: target.displayName ?? target.accountId, accountId: target.accountId, url: browseUrl(site, key) };
      if (current?.accountId === target.accountId) return { ...result, changed: false };
      await api.assign(key, target.accountId);
      return { ...result, changed: true };
    },
  });
}
