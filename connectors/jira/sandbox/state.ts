import type { AccessGrant, AuthorizationCode, RefreshGrant, SandboxIssue, SandboxProject, SandboxUser } from './model.js';
import { SEED_USERS, STATUSES, TRANSITIONS, seedIssues, seedProjects } from './seed.js';

/**
 * Everything one sandbox instance knows, in memory. Permission rules live here so every route
 * answers the same question the same way.
 */
export class JiraSandboxState {
  readonly cloudId = '1324a887-45db-1bf4-1e99-ef0ff456d421';
  readonly siteUrl = 'https://acme.atlassian.net';
  readonly siteName = 'acme';
  readonly users: SandboxUser[] = [...SEED_USERS];
  readonly projects: SandboxProject[] = seedProjects();
  readonly statuses = STATUSES;
  readonly transitions = TRANSITIONS;
  readonly issues: SandboxIssue[];
  readonly accessTokens = new Map<string, AccessGrant>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly codes = new Map<string, AuthorizationCode>();
  /** Tests move the sandbox's clock forward to expire tokens without waiting. */
  clockOffsetMs = 0;
  /**
   * Accounts whose profile visibility hides their email: Jira then omits `emailAddress` from user
   * objects, `/myself` included (Atlassian's privacy settings), so apps cannot learn it.
   */
  readonly hiddenEmails = new Set<string>();
  private readonly counters: Map<string, number>;
  private nextIssueId: number;
  private nextCommentId = 10500;

  constructor() {
    const seeded = seedIssues(Date.now());
    this.issues = seeded.issues;
    this.counters = seeded.counters;
    this.nextIssueId = seeded.nextId;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  userById(accountId: string): SandboxUser | undefined {
    return this.users.find((u) => u.accountId === accountId);
  }

  userByEmail(email: string): SandboxUser | undefined {
    return this.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  project(keyOrIdOrName: string): SandboxProject | undefined {
    const wanted = keyOrIdOrName.toLowerCase();
    return this.projects.find((p) => p.key.toLowerCase() === wanted || p.id === keyOrIdOrName || p.name.toLowerCase() === wanted);
  }

  /** Jira resolves keys case-insensitively and accepts numeric ids. */
  issue(keyOrId: string): SandboxIssue | undefined {
    const wanted = keyOrId.toUpperCase();
    return this.issues.find((i) => i.key === wanted || i.id === keyOrId);
  }

  status(id: string) {
    return this.statuses.find((s) => s.id === id) ?? this.statuses[0]!;
  }

  canBrowse(user: SandboxUser, projectKey: string): boolean {
    return user.person.jiraAdmin || user.person.jiraProjects.includes('*') || user.person.jiraProjects.includes(projectKey);
  }

  isProjectAdmin(user: SandboxUser, projectKey: string): boolean {
    return user.person.jiraAdmin || (this.project(projectKey)?.adminAccountIds.includes(user.accountId) ?? false);
  }

  /** Transition Issues and Assign Issues: the assignee, a project administrator or a Jira administrator. */
  canWorkOn(user: SandboxUser, issue: SandboxIssue): boolean {
    return this.canBrowse(user, issue.projectKey) && (issue.assigneeId === user.accountId || this.isProjectAdmin(user, issue.projectKey));
  }

  availableTransitions(user: SandboxUser, issue: SandboxIssue) {
    if (!this.canWorkOn(user, issue)) return [];
    return this.transitions.filter((t) => t.from.includes(issue.statusId));
  }

  createIssue(input: Omit<SandboxIssue, 'id' | 'key' | 'created' | 'updated' | 'comments' | 'statusId'>): SandboxIssue {
    const number = (this.counters.get(input.projectKey) ?? 0) + 1;
    this.counters.set(input.projectKey, number);
    const at = this.now();
    const issue: SandboxIssue = { ...input, id: String(this.nextIssueId++), key: `${input.projectKey}-${number}`, statusId: '10000', created: at, updated: at, comments: [] };
    this.issues.push(issue);
    return issue;
  }

  newCommentId(): string {
    return String(this.nextCommentId++);
  }

  /** Side-effect counters for tests: how many issues carry a label, how many comments an issue has. */
  issuesWithLabel(label: string): SandboxIssue[] {
    return this.issues.filter((i) => i.labels.includes(label));
  }

  commentsOn(key: string): number {
    return this.issue(key)?.comments.length ?? 0;
  }
}
