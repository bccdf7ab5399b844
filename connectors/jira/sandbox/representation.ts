import { ISSUE_TYPES, PRIORITIES, STATUS_CATEGORIES, type SandboxComment, type SandboxIssue, type SandboxStatus, type SandboxUser } from './model.js';
import type { JiraSandboxState } from './state.js';

/** Jira's timestamp style: `2021-01-17T12:34:00.000+0000` (no colon in the offset). */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Builds wire shapes with `self` links under the gateway path the request came in on. */
export class Representation {
  constructor(private readonly state: JiraSandboxState, private readonly apiBase: string) {}

  user(user: SandboxUser | undefined): Record<string, unknown> | null {
    if (!user) return null;
    const avatar = `https://avatar-management.services.atlassian.com/default/${user.accountId.slice(-8)}`;
    return {
      self: `${this.apiBase}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
      accountId: user.accountId,
      accountType: 'atlassian',
      ...(this.state.hiddenEmails.has(user.accountId) ? {} : { emailAddress: user.email }),
      avatarUrls: { '48x48': `${avatar}/48`, '24x24': `${avatar}/24`, '16x16': `${avatar}/16`, '32x32': `${avatar}/32` },
      displayName: user.displayName,
      active: user.active,
      timeZone: user.timeZone,
    };
  }

  status(status: SandboxStatus): Record<string, unknown> {
    const category = STATUS_CATEGORIES[status.category];
    return {
      self: `${this.apiBase}/rest/api/3/status/${status.id}`,
      description: '',
      iconUrl: `${this.state.siteUrl}/images/icons/statuses/generic.png`,
      name: status.name,
      id: status.id,
      statusCategory: { self: `${this.apiBase}/rest/api/3/statuscategory/${category.id}`, id: category.id, key: status.category, colorName: category.colorName, name: category.name },
    };
  }

  comment(issue: SandboxIssue, comment: SandboxComment, withProperties: boolean): Record<string, unknown> {
    const author = this.user(this.state.userById(comment.authorId));
    return {
      self: `${this.apiBase}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
      id: comment.id,
      author,
      body: comment.body,
      updateAuthor: author,
      created: jiraTime(comment.created),
      updated: jiraTime(comment.created),
      jsdPublic: true,
      ...(withProperties ? { properties: [...comment.properties].map(([key, value]) => ({ key, value })) } : {}),
    };
  }

  /** `fields` is Jira's selector: `*all`, `*navigable`, or names; `id` alone yields no fields object. */
  issue(issue: SandboxIssue, fields: readonly string[], properties: readonly string[] = []): Record<string, unknown> {
    const all = fields.includes('*all') || fields.includes('*navigable');
    const wanted = (name: string): boolean => (all && !fields.includes(`-${name}`)) || fields.includes(name);
    const project = this.state.project(issue.projectKey);
    const type = ISSUE_TYPES[issue.issueType] ?? ISSUE_TYPES['Task']!;
    const candidates: Record<string, () => unknown> = {
      summary: () => issue.summary,
      description: () => issue.description ?? null,
      status: () => this.status(this.state.status(issue.statusId)),
      assignee: () => this.user(issue.assigneeId ? this.state.userById(issue.assigneeId) : undefined),
      reporter: () => this.user(this.state.userById(issue.reporterId)),
      creator: () => this.user(this.state.userById(issue.reporterId)),
      priority: () => ({ self: `${this.apiBase}/rest/api/3/priority/${PRIORITIES[issue.priority] ?? '3'}`, iconUrl: `${this.state.siteUrl}/images/icons/priorities/${issue.priority.toLowerCase()}.svg`, name: issue.priority, id: PRIORITIES[issue.priority] ?? '3' }),
      issuetype: () => ({ self: `${this.apiBase}/rest/api/3/issuetype/${type.id}`, id: type.id, description: type.description, iconUrl: `${this.state.siteUrl}/images/icons/issuetypes/${issue.issueType.toLowerCase()}.svg`, name: issue.issueType, subtask: false, hierarchyLevel: 0 }),
      project: () => project && { self: `${this.apiBase}/rest/api/3/project/${project.id}`, id: project.id, key: project.key, name: project.name, projectTypeKey: 'software', simplified: false },
      labels: () => issue.labels,
      duedate: () => issue.duedate ?? null,
      created: () => jiraTime(issue.created),
      updated: () => jiraTime(issue.updated),
      comment: () => ({ comments: issue.comments.map((c) => this.comment(issue, c, false)), self: `${this.apiBase}/rest/api/3/issue/${issue.id}/comment`, maxResults: issue.comments.length, total: issue.comments.length, startAt: 0 }),
    };
    const selected = Object.fromEntries(Object.entries(candidates).filter(([name]) => wanted(name)).map(([name, build]) => [name, build()]));
    const onlyId = Object.keys(selected).length === 0 && properties.length === 0;
    if (onlyId) return { id: issue.id };
    const props = properties.filter((p) => issue.properties.has(p)).map((p) => [p, issue.properties.get(p)] as const);
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${this.apiBase}/rest/api/3/issue/${issue.id}`,
      key: issue.key,
      ...(properties.length > 0 ? { properties: Object.fromEntries(props) } : {}),
      fields: selected,
    };
  }
}

/** Jira's error collection, used for every 4xx the API itself produces. */
export function errorCollection(status: number, messages: readonly string[], errors: Record<string, string> = {}): { status: number; body: { errorMessages: string[]; errors: Record<string, string> } } {
  return { status, body: { errorMessages: [...messages], errors } };
}

/** Shape check for Atlassian Document Format at the top level, which is what Jira enforces on write. */
export function isAdfDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content) && doc.content.every((n) => typeof n === 'object' && n !== null && typeof (n as { type?: unknown }).type === 'string');
}
