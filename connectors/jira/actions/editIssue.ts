import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { fit, quoteData } from '../../shared/summary.js';
import type { JiraClient } from '../client.js';
import { editIssue, editMeta } from '../editApi.js';
import { JiraActionError } from '../errors.js';
import { browseUrl } from '../normalize.js';
import { ISSUE_KEY, jiraApiFor, normaliseKey, quote, sameName } from './context.js';

/** People say "P2"; Jira's default scheme says "High" (as create_issue reads it). */
const PRIORITY_ALIASES: Readonly<Record<string, string>> = { p1: 'Highest', p2: 'High', p3: 'Medium', p4: 'Low', p5: 'Lowest' };
const label = z.string().trim().min(1).max(255).regex(/^\S+$/, 'a Jira label has no spaces');

const input = z.object({
  key: z.string().regex(ISSUE_KEY).describe('Issue key, e.g. NET-12'),
  summary: z.string().trim().min(1).max(255).optional().describe('New one-line title'),
  priority: z.string().trim().min(1).max(40).optional().describe('New priority: Highest, High, Medium, Low, Lowest, or P1-P5'),
  add_labels: z.array(label).max(10).optional().describe('Labels to add (no spaces), e.g. ["vpn"]'),
  remove_labels: z.array(label).max(10).optional().describe('Labels to remove'),
  due_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a due date looks like 2026-12-24').nullable().optional().describe('New due date as YYYY-MM-DD, or null to clear it'),
}).strict().refine((a) => a.summary !== undefined || a.priority !== undefined || (a.add_labels?.length ?? 0) > 0 || (a.remove_labels?.length ?? 0) > 0 || a.due_date !== undefined, 'name at least one change');
type Input = z.infer<typeof input>;

const output = z.object({
  key: z.string(), summary: z.string(), priority: z.string().nullable(), labels: z.array(z.string()), due_date: z.string().nullable(),
  changed: z.boolean().describe('False when the issue already had every requested value'), url: z.string(),
});
type Output = z.infer<typeof output>;

const currentSchema = z.object({
  key: z.string().optional(),
  fields: z.object({ summary: z.string().optional(), priority: z.object({ name: z.string() }).nullish(), labels: z.array(z.string()).optional(), duedate: z.string().nullish() }).optional(),
});
type Current = { summary: string; priority: string | null; labels: string[]; due_date: string | null };

async function current(client: JiraClient, key: string): Promise<Current> {
  const { data } = await client.request({ method: 'GET', path: `/issue/${encodeURIComponent(key)}`, query: { fields: 'summary,priority,labels,duedate' }, schema: currentSchema });
  const f = data.fields ?? {};
  return { summary: f.summary ?? '', priority: f.priority?.name ?? null, labels: f.labels ?? [], due_date: f.duedate ?? null };
}

function priorityName(priority: string): string {
  return PRIORITY_ALIASES[priority.toLowerCase()] ?? priority;
}

/**
 * Edits an issue's summary, priority, labels and due date in one `PUT /issue/{key}`. The edit
 * screen (`editmeta`) is read first: it says which fields this employee may change and which
 * priorities exist, so a refusal is explained instead of surfacing as Jira's "not on the screen".
 * Every part sets a value or adds/removes a label, so repeating it changes nothing.
 */
export function editIssueTool(config: ConnectorInstanceConfig): ToolDefinition<Input, Output> {
  return defineTool<Input, Output>({
    name: 'edit_issue',
    description: 'Changes a Jira issue\'s summary, priority, labels or due date, as the employee.',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: ['read:jira-work', 'write:jira-work'],
    describe: (args) => {
      const parts: string[] = [];
      if (args.summary) parts.push(`summary ${quote(args.summary)}`);
      if (args.priority) parts.push(`priority ${priorityName(args.priority)}`);
      if (args.add_labels?.length) parts.push(`add label${args.add_labels.length > 1 ? 's' : ''} ${args.add_labels.join(', ')}`);
      if (args.remove_labels?.length) parts.push(`remove label${args.remove_labels.length > 1 ? 's' : ''} ${args.remove_labels.join(', ')}`);
      if (args.due_date !== undefined) parts.push(args.due_date === null ? 'clear the due date' : `due date ${args.due_date}`);
      return `Edit Jira issue ${normaliseKey(args.key)}: ${parts.join(', ')}`;
    },
    summarize: (out, args) => {
      const key = quoteData(out.key, 24);
      if (!out.changed) return fit(`Jira issue ${key} already had what you asked for, so nothing changed`);
      const parts: string[] = [];
      if (args.summary) parts.push(`summary ${quoteData(out.summary, 50)}`);
      if (args.priority) parts.push(`priority ${quoteData(out.priority ?? 'none', 20)}`);
      if (args.add_labels?.length || args.remove_labels?.length) parts.push(out.labels.length > 0 ? `labels ${out.labels.map((l) => quoteData(l, 24)).join(', ')}` : 'no labels');
      if (args.due_date !== undefined) parts.push(out.due_date ? `due ${quoteData(out.due_date, 12)}` : 'no due date');
      return fit(`Updated Jira issue ${key}: ${parts.join(', ')}`);
    },
    async execute(ctx, args) {
      const api = jiraApiFor(config, ctx);
      const site = await api.client.currentSite();
      const key = normaliseKey(args.key);
      const meta = await editMeta(api.client, key);
      const wanted = [args.summary !== undefined && 'summary', args.priority !== undefined && 'priority', (args.add_labels?.length || args.remove_labels?.length) && 'labels', args.due_date !== undefined && 'duedate']
        .filter((f): f is string => typeof f === 'string');
      const blocked = wanted.filter((f) => !meta.fields[f]);
      if (blocked.length > 0) {
        throw new JiraActionError('jira_edit_forbidden', `edit screen of ${key} lacks ${blocked.join(', ')}`,
          Object.keys(meta.fields).length === 0
            ? `You cannot edit ${key} in Jira: that needs the Edit Issues permission (usually its reporter, its assignee or a project administrator).`
            : `Jira does not let you change ${blocked.join(', ')} on ${key}.`);
      }
      let priority: string | undefined;
      if (args.priority) {
        const allowed = (meta.fields['priority']?.allowedValues ?? []).map((v) => (typeof v === 'object' && v !== null ? String((v as { name?: unknown }).name ?? '') : '')).filter(Boolean);
        const name = priorityName(args.priority);
        priority = allowed.find((a) => sameName(a, name));
        if (!priority) throw new JiraActionError('jira_priority_unknown', `priority "${name}" is not allowed on ${key}`, `Jira has no priority "${name}" for ${key}. Choose one of: ${allowed.join(', ')}.`);
      }
      const before = await current(api.client, key);
      const fields: Record<string, unknown> = {};
      if (args.summary !== undefined && args.summary !== before.summary) fields['summary'] = args.summary;
      if (priority && priority !== before.priority) fields['priority'] = { name: priority };
      if (args.due_date !== undefined && args.due_date !== before.due_date) fields['duedate'] = args.due_date;
      const labelOps = [
        ...(args.add_labels ?? []).filter((l) => !before.labels.includes(l)).map((l) => ({ add: l })),
        ...(args.remove_labels ?? []).filter((l) => before.labels.includes(l)).map((l) => ({ remove: l })),
      ];
      const url = browseUrl(site, key);
      if (Object.keys(fields).length === 0 && labelOps.length === 0) return { key, ...before, changed: false, url };
      await editIssue(api.client, key, { ...(Object.keys(fields).length > 0 ? { fields } : {}), ...(labelOps.length > 0 ? { update: { labels: labelOps } } : {}) });
      return { key, ...(await current(api.client, key)), changed: true, url };
    },
  });
}
