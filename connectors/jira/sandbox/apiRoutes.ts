import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import { ISSUE_TYPES, PRIORITIES, type SandboxIssue, type SandboxUser } from './model.js';
import { bearer } from './oauthRoutes.js';
import { Representation, errorCollection, isAdfDocument } from './representation.js';
import { editRoutes } from './editRoutes.js';
import { searchRoutes } from './searchRoutes.js';
import type { JiraSandboxState } from './state.js';

export interface ApiCall {
  readonly req: SandboxRequest;
  readonly user: SandboxUser;
  readonly rep: Representation;
}
type ApiHandler = (call: ApiCall) => SandboxResponse;

const NOT_FOUND_ISSUE = 'Issue does not exist or you do not have permission to see it.';
const PREFIX = '/ex/jira/:cloudId/rest/api/3';

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function registerApiRoutes(server: SandboxServer, state: JiraSandboxState, url: () => string): void {
  /** The API gateway: bearer token, site id and scope, then the Jira handler. */
  const api = (method: string, path: string, scope: string, handler: ApiHandler): void => {
    server.route(method, `${PREFIX}${path}`, (req) => {
      const grant = bearer(req, state);
      if (!grant) return { status: 401, body: { code: 401, message: 'Unauthorized' } };
      if (req.params['cloudId'] !== state.cloudId) return { status: 404, body: { code: 404, message: 'Not Found' } };
      if (!grant.scopes.includes(scope)) return { status: 401, body: { code: 401, message: 'Unauthorized; scope does not match' } };
      const user = state.userById(grant.accountId);
      if (!user) return { status: 401, body: { code: 401, message: 'Unauthorized' } };
      return handler({ req, user, rep: new Representation(state, `${url()}/ex/jira/${state.cloudId}`) });
    });
  };
  const visibleIssue = (call: ApiCall): SandboxIssue | undefined => {
    const issue = state.issue(call.req.params['key'] ?? '');
    return issue && state.canBrowse(call.user, issue.projectKey) ? issue : undefined;
  };

  api('GET', '/myself', 'read:jira-user', ({ user, rep }) => ({
    status: 200,
    body: { ...rep.user(user), locale: 'en_GB', groups: { size: user.person.jiraAdmin ? 2 : 1, items: [] }, applicationRoles: { size: 1, items: [] }, expand: 'groups,applicationRoles' },
  }));

  api('GET', '/user/search', 'read:jira-user', ({ req, rep }) => {
    const query = (req.query.get('query') ?? '').trim().toLowerCase();
    const accountId = req.query.get('accountId');
    if (!query && !accountId) return errorCollection(400, ['The query parameter \'query\' or \'accountId\' is required.']);
    const maxResults = Math.min(Number(req.query.get('maxResults') ?? 50) || 50, 1000);
    const matches = state.users.filter((u) => (accountId ? u.accountId === accountId : [u.email, ...u.displayName.split(' '), u.displayName].some((part) => part.toLowerCase().startsWith(query))));
    return { status: 200, body: matches.slice(0, maxResults).map((u) => rep.user(u)) };
  });

  searchRoutes(api, state);
  editRoutes(api, state);

  api('GET', '/issue/:key', 'read:jira-work', (call) => {
    const issue = visibleIssue(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    const fields = (call.req.query.get('fields') ?? '*all').split(',').map((f) => f.trim()).filter(Boolean);
    const properties = (call.req.query.get('properties') ?? '').split(',').filter(Boolean);
    return { status: 200, body: call.rep.issue(issue, fields, properties) };
  });

  api('POST', '/issue', 'write:jira-work', ({ req, user, rep }) => {
    const body = obj(req.body);
    const fields = obj(body['fields']);
    const projectRef = obj(fields['project']);
    const project = state.project(String(projectRef['key'] ?? projectRef['id'] ?? ''));
    const errors: Record<string, string> = {};
    if (!project) errors['project'] = 'valid project is required';
    else if (!state.canBrowse(user, project.key)) return errorCollection(403, ['You do not have permission to create issues in this project.']);
    const typeRef = obj(fields['issuetype']);
    const typeName = Object.entries(ISSUE_TYPES).find(([name, t]) => name === typeRef['name'] || t.id === typeRef['id'])?.[0];
    if (!typeName) errors['issuetype'] = 'Specify an issue type';
    const summary = typeof fields['summary'] === 'string' ? fields['summary'].trim() : '';
    if (!summary) errors['summary'] = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors['summary'] = 'Summary must be less than 255 characters.';
    if (fields['description'] !== undefined && fields['description'] !== null && !isAdfDocument(fields['description'])) errors['description'] = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
    const priorityRef = fields['priority'] === undefined ? undefined : obj(fields['priority']);
    const priority = priorityRef ? Object.entries(PRIORITIES).find(([name, id]) => name === priorityRef['name'] || id === priorityRef['id'])?.[0] : 'Medium';
    if (!priority) errors['priority'] = `The priority selected is invalid.`;
    const labels = Array.isArray(fields['labels']) ? fields['labels'].map(String) : [];
    const badLabel = labels.find((l) => /\s/.test(l) || l.length > 255);
    if (badLabel !== undefined) errors['labels'] = `The label '${badLabel}' contains spaces which is invalid.`;
    const properties = Array.isArray(body['properties']) ? body['properties'].map(obj) : [];
    if (properties.some((p) => typeof p['key'] !== 'string' || p['key'].length > 255 || JSON.stringify(p['value'] ?? null).length > 32768)) errors['properties'] = 'The property key or value is invalid.';
    if (Object.keys(errors).length > 0 || !project || !typeName || !priority) return errorCollection(400, [], errors);
    const issue = state.createIssue({
      projectKey: project.key, issueType: typeName, summary, description: fields['description'] ?? null, priority, reporterId: user.accountId, assigneeId: null,
      labels, properties: new Map(properties.map((p) => [String(p['key']), p['value']])),
    });
    return { status: 201, body: { id: issue.id, key: issue.key, self: `${rep.issue(issue, ['summary'])['self'] as string}` } };
  });

  api('GET', '/issue/:key/transitions', 'read:jira-work', (call) => {
    const issue = visibleIssue(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    const transitions = state.availableTransitions(call.user, issue).map((t) => ({
      id: t.id, name: t.name, to: call.rep.status(state.status(t.to)), hasScreen: false, isGlobal: false, isInitial: false, isAvailable: true, isConditional: false, isLooped: false,
    }));
    return { status: 200, body: { expand: 'transitions', transitions } };
  });

  api('POST', '/issue/:key/transitions', 'write:jira-work', (call) => {
    const issue = visibleIssue(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    const id = obj(obj(call.req.body)['transition'])['id'];
    if (typeof id !== 'string' || !id) return errorCollection(400, ["Missing 'transition' identifier"]);
    const transition = state.availableTransitions(call.user, issue).find((t) => t.id === id);
    if (!transition) return errorCollection(400, [`Transition id '${id}' is not valid for this issue.`]);
    issue.statusId = transition.to;
    issue.updated = state.now();
    return { status: 204 };
  });

  api('PUT', '/issue/:key/assignee', 'write:jira-work', (call) => {
    const issue = visibleIssue(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    if (!state.canWorkOn(call.user, issue)) return errorCollection(403, ['You do not have permission to assign issues in this project.']);
    const raw = obj(call.req.body)['accountId'];
    if (raw !== null && typeof raw !== 'string') return errorCollection(400, [], { assignee: 'Specify the accountId of the assignee.' });
    const project = state.project(issue.projectKey);
    const accountId = raw === '-1' ? (project?.leadAccountId ?? null) : raw;
    if (accountId !== null) {
      const target = state.userById(accountId);
      if (!target) return errorCollection(400, [], { assignee: `User '${accountId}' does not exist.` });
      if (!state.canBrowse(target, issue.projectKey)) return errorCollection(400, [], { assignee: `User '${target.displayName}' cannot be assigned issues.` });
    }
    issue.assigneeId = accountId;
    issue.updated = state.now();
    return { status: 204 };
  });

  api('GET', '/issue/:key/comment', 'read:jira-work', (call) => {
    const issue = visibleIssue(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    const startAt = Math.max(0, Number(call.req.query.get('startAt') ?? 0) || 0);
    const maxResults = Math.min(Math.max(1, Number(call.req.query.get('maxResults') ?? 100) || 100), 5000);
    const newestFirst = call.req.query.get('orderBy') === '-created';
    const withProperties = (call.req.query.get('expand') ?? '').split(',').includes('properties');
    const ordered = newestFirst ? [...issue.comments].reverse() : issue.comments;
    return { status: 200, body: { startAt, maxResults, total: issue.comments.length, comments: ordered.slice(startAt, startAt + maxResults).map((c) => call.rep.comment(issue, c, withProperties)) } };
  });

  api('POST', '/issue/:key/comment', 'write:jira-work', (call) => {
    const issue = visibleIssue(call);
    if (!issue) return errorCollection(404, [NOT_FOUND_ISSUE]);
    const body = obj(call.req.body);
    if (body['body'] === undefined) return errorCollection(400, [], { comment: 'Comment body can not be empty!' });
    if (!isAdfDocument(body['body'])) return errorCollection(400, [], { comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
    const properties = Array.isArray(body['properties']) ? body['properties'].map(obj) : [];
    const comment = { id: state.newCommentId(), authorId: call.user.accountId, body: body['body'], created: state.now(), properties: new Map(properties.map((p) => [String(p['key']), p['value']])) };
    issue.comments.push(comment);
    issue.updated = comment.created;
    return { status: 201, body: call.rep.comment(issue, comment, false) };
  });
}
