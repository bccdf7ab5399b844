import type { SandboxResponse } from '../../shared/sandboxServer.js';
import type { ApiCall } from './apiRoutes.js';
import { PRIORITIES, type SandboxIssue, type SandboxUser } from './model.js';
import { errorCollection } from './representation.js';
import type { JiraSandboxState } from './state.js';

type Register = (method: string, path: string, scope: string, handler: (call: ApiCall) => SandboxResponse) => void;

const NOT_FOUND_ISSUE = 'Issue does not exist or you do not have permission to see it.';
/** The fields on the sandbox's edit screen. */
const EDITABLE = ['summary', 'priority', 'labels', 'duedate', 'description'] as const;
type Editable = (typeof EDITABLE)[number];

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Editing and watching: `GET /issue/{key}/editmeta`, `PUT /issue/{key}` and the watcher list. The
 * sandbox's permission scheme grants Edit Issues to the reporter, the assignee and project
 * administrators; without it Jira answers an edit as if the fields were not on the screen (400).
 * Anyone who can browse an issue may watch it; adding someone else needs Manage Watchers.
 */
export function editRoutes(api: Register, state: JiraSandboxState): void {
  const visible = (call: ApiCall): SandboxIssue | undefined => {
    const issue = state.issue(call.req.params['key'] ?? '');
    return issue && state.canBrowse(call.user, issue.projectKey) ? issue : undefined;
  };
  const canEdit = (user: SandboxUser, issue: SandboxIssue): boolean =>
    state.canBrowse(user, issue.projectKey) && (issue.reporterId === user.accountId || issue.assigneeId === user.accountId || state.isProjectAdmin(user, issue.projectKey));
  const watchersOf = (issue: SandboxIssue): string[] => {
    issue.watchers ??= [...new Set([issue.reporterId, issue.assigneeId].filter((id): id is string => Boolean(id)))];
    return issue.watchers;
  };

  api('GET', '/issue/:key/editmeta', 'read:jira-work', (call) => {
    const issue = visible(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    if (!canEdit(call.user, issue)) return { status: 200, body: { fields: {} } };
    const meta = (key: Editable, name: string, schema: Record<string, unknown>, operations: string[], extra: Record<string, unknown> = {}): [string, unknown] =>
      [key, { required: key === 'summary', schema, name, key, operations, ...extra }];
    return {
      status: 200,
      body: {
        fields: Object.fromEntries([
          meta('summary', 'Summary', { type: 'string', system: 'summary' }, ['set']),
          meta('priority', 'Priority', { type: 'priority', system: 'priority' }, ['set'], { allowedValues: Object.entries(PRIORITIES).map(([name, id]) => ({ self: `priority/${id}`, name, id })) }),
          meta('labels', 'Labels', { type: 'array', items: 'string', system: 'labels' }, ['add', 'set', 'remove']),
          meta('duedate', 'Due date', { type: 'date', system: 'duedate' }, ['set']),
          meta('description', 'Description', { type: 'string', system: 'description' }, ['set']),
        ]),
      },
    };
  });

  api('PUT', '/issue/:key', 'write:jira-work', (call) => {
    const issue = visible(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    const body = obj(call.req.body);
    if (call.req.body === undefined) return errorCollection(400, ['The request body is missing.']);
    const fields = obj(body['fields']);
    const update = obj(body['update']);
    const named = [...Object.keys(fields), ...Object.keys(update)];
    const errors: Record<string, string> = {};
    for (const name of named) {
      if (!(EDITABLE as readonly string[]).includes(name) || !canEdit(call.user, issue)) errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
    for (const name of Object.keys(update)) if (name in fields) errors[name] = `Field '${name}' cannot be set in both 'fields' and 'update'.`;
    if (Object.keys(errors).length > 0) return errorCollection(400, [], errors);

    const next: { summary?: string; priority?: string; duedate?: string | null; labels?: string[] } = {};
    if ('summary' in fields) {
      const summary = typeof fields['summary'] === 'string' ? fields['summary'].trim() : '';
      if (!summary) errors['summary'] = 'You must specify a summary of the issue.';
      else if (summary.length > 255) errors['summary'] = 'Summary must be less than 255 characters.';
      else next.summary = summary;
    }
    if ('priority' in fields) {
      const ref = obj(fields['priority']);
      const name = Object.entries(PRIORITIES).find(([n, id]) => n === ref['name'] || id === ref['id'])?.[0];
      if (!name) errors['priority'] = 'The priority selected is invalid.';
      else next.priority = name;
    }
    if ('duedate' in fields) {
      const due = fields['duedate'];
      if (due === null || due === '') next.duedate = null;
      else if (typeof due === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(due) && !Number.isNaN(Date.parse(`${due}T00:00:00Z`))) next.duedate = due;
      else errors['duedate'] = "Error parsing date string: " + String(due);
    }
    let labels = [...issue.labels];
    if ('labels' in fields) labels = Array.isArray(fields['labels']) ? fields['labels'].map(String) : [];
    if (Array.isArray(update['labels'])) {
      for (const op of update['labels'].map(obj)) {
        if (typeof op['add'] === 'string') { if (!labels.includes(op['add'])) labels.push(op['add']); }
        else if (typeof op['remove'] === 'string') labels = labels.filter((l) => l !== op['remove']);
        else if (Array.isArray(op['set'])) labels = op['set'].map(String);
        else errors['labels'] = 'Operation is not supported for labels.';
      }
    } else if ('labels' in update) errors['labels'] = 'Operation is not supported for labels.';
    const badLabel = labels.find((l) => /\s/.test(l) || l.length === 0 || l.length > 255);
    if (badLabel !== undefined) errors['labels'] = `The label '${badLabel}' contains spaces which is invalid.`;
    if (Object.keys(errors).length > 0) return errorCollection(400, [], errors);
    if ('labels' in fields || 'labels' in update) next.labels = labels;
    Object.assign(issue, next);
    issue.updated = state.now();
    return { status: 204 };
  });

  api('GET', '/issue/:key/watchers', 'read:jira-work', (call) => {
    const issue = visible(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    const watchers = watchersOf(issue);
    const base = call.rep.issue(issue, ['summary'])['self'] as string;
    return {
      status: 200,
      body: {
        self: `${base}/watchers`, isWatching: watchers.includes(call.user.accountId), watchCount: watchers.length,
        watchers: watchers.map((id) => call.rep.user(state.userById(id))).filter((u) => u !== null).map((u) => ({ self: u['self'], accountId: u['accountId'], displayName: u['displayName'], active: u['active'] })),
      },
    };
  });

  api('POST', '/issue/:key/watchers', 'write:jira-work', (call) => {
    const issue = visible(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    const accountId = call.req.body;
    if (typeof accountId !== 'string' || !accountId) return errorCollection(400, ['accountId must be provided.']);
    const target = state.userById(accountId);
    if (!target || !state.canBrowse(target, issue.projectKey)) return errorCollection(404, [`The user with account ID '${accountId}' does not exist or cannot see this issue.`]);
    if (accountId !== call.user.accountId && !state.isProjectAdmin(call.user, issue.projectKey)) return errorCollection(403, ['You do not have the permission to manage the watcher list.']);
    const watchers = watchersOf(issue);
    if (!watchers.includes(accountId)) watchers.push(accountId);
    return { status: 204 };
  });
}
