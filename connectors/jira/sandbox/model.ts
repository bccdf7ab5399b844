import type { DemoPerson } from '../../shared/demoOrg.js';

/** The sandbox's own records; routes turn them into Jira's wire shapes (see representation.ts). */
export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface SandboxStatus {
  readonly id: string;
  readonly name: string;
  readonly category: StatusCategoryKey;
}

export interface SandboxTransition {
  readonly id: string;
  readonly name: string;
  readonly from: readonly string[];
  readonly to: string;
}

export interface SandboxUser {
  readonly accountId: string;
  readonly email: string;
  readonly displayName: string;
  readonly active: boolean;
  readonly timeZone: string;
  readonly person: DemoPerson;
}

export interface SandboxProject {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly leadAccountId: string;
  readonly adminAccountIds: readonly string[];
}

export interface SandboxComment {
  readonly id: string;
  readonly authorId: string;
  readonly body: unknown;
  readonly created: number;
  readonly properties: Map<string, unknown>;
}

export interface SandboxIssue {
  readonly id: string;
  readonly key: string;
  readonly projectKey: string;
  issueType: string;
  summary: string;
  description: unknown;
  priority: string;
  statusId: string;
  readonly reporterId: string;
  assigneeId: string | null;
  labels: string[];
  /** `YYYY-MM-DD` or null; absent on seeded issues means none. */
  duedate?: string | null;
  /** Account ids watching; absent means Jira's default, the reporter and the assignee. */
  watchers?: string[];
  readonly created: number;
  updated: number;
  readonly properties: Map<string, unknown>;
  readonly comments: SandboxComment[];
}

export interface AccessGrant {
  readonly accountId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

export interface RefreshGrant {
  readonly accountId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Atlassian disables a refresh token once it has been exchanged (rotation). */
  used: boolean;
}

export interface AuthorizationCode {
  readonly accountId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  used: boolean;
}

export const STATUS_CATEGORIES: Readonly<Record<StatusCategoryKey, { id: number; name: string; colorName: string }>> = {
  new: { id: 2, name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, name: 'Done', colorName: 'green' },
};

export const ISSUE_TYPES: Readonly<Record<string, { id: string; description: string }>> = {
  Bug: { id: '10004', description: 'A problem or error.' },
  Task: { id: '10001', description: 'A small, distinct piece of work.' },
  Story: { id: '10002', description: 'A user story.' },
};

export const PRIORITIES: Readonly<Record<string, string>> = { Highest: '1', High: '2', Medium: '3', Low: '4', Lowest: '5' };
