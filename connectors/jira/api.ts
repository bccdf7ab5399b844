import type { z } from 'zod';
import type { AdfDocument } from './adf.js';
import type { JiraClient } from './client.js';
import {
  createdIssueSchema, jiraCommentSchema, jiraIssueSchema, jiraUserSchema, pageOfCommentsSchema, searchResultSchema, transitionsSchema, userListSchema,
  type JiraComment, type JiraIssue, type JiraTransition, type JiraUser,
} from './schemas.js';

export const ISSUE_FIELDS = ['summary', 'status', 'assignee', 'reporter', 'priority', 'issuetype', 'project', 'labels', 'created', 'updated'] as const;

export interface SearchPage {
  readonly issues: JiraIssue[];
  readonly nextPageToken?: string;
  readonly isLast: boolean;
}

export interface CreateIssueFields {
  readonly projectKey: string;
  readonly summary: string;
  readonly issueType: string;
  readonly description?: AdfDocument;
  readonly priority?: string;
  readonly labels: readonly string[];
}

/** The Jira operations the tools use, typed; one method per REST operation. */
export class JiraApi {
  constructor(readonly client: JiraClient) {}

  async myself(): Promise<JiraUser> {
    return (await this.client.request({ method: 'GET', path: '/myself', schema: jiraUserSchema })).data;
  }

  /** `GET /search/jql`; Jira returns only ids unless fields are named, and pages with `nextPageToken`. */
  async search(input: { jql: string; fields?: readonly string[]; maxResults: number; nextPageToken?: string; properties?: readonly string[] }): Promise<SearchPage> {
    const { data } = await this.client.request({
      method: 'GET',
      path: '/search/jql',
      query: {
        jql: input.jql,
        maxResults: input.maxResults,
        fields: (input.fields ?? ISSUE_FIELDS).join(','),
        nextPageToken: input.nextPageToken,
        properties: input.properties?.join(','),
      },
      schema: searchResultSchema,
    });
    return { issues: data.issues, isLast: data.isLast ?? !data.nextPageToken, ...(data.nextPageToken ? { nextPageToken: data.nextPageToken } : {}) };
  }

  async getIssue(key: string, fields: readonly string[] = [...ISSUE_FIELDS, 'description', 'comment']): Promise<JiraIssue> {
    return (await this.client.request({ method: 'GET', path: `/issue/${encodeURIComponent(key)}`, query: { fields: fields.join(',') }, schema: jiraIssueSchema })).data;
  }

  /** Not idempotent on the wire; callers guard it with a read-back of the idempotency property. */
  async createIssue(fields: CreateIssueFields, property: { key: string; value: unknown }): Promise<z.infer<typeof createdIssueSchema>> {
    const body = {
      fields: {
        project: { key: fields.projectKey },
        issuetype: { name: fields.issueType },
        summary: fields.summary,
        labels: fields.labels,
        ...(fields.description ? { description: fields.description } : {}),
        ...(fields.priority ? { priority: { name: fields.priority } } : {}),
      },
      properties: [property],
    };
    return (await this.client.request({ method: 'POST', path: '/issue', body, schema: createdIssueSchema, idempotent: false })).data;
  }

  async transitions(key: string): Promise<JiraTransition[]> {
    return (await this.client.request({ method: 'GET', path: `/issue/${encodeURIComponent(key)}/transitions`, schema: transitionsSchema })).data.transitions;
  }

  async transition(key: string, transitionId: string): Promise<void> {
    await this.client.request({ method: 'POST', path: `/issue/${encodeURIComponent(key)}/transitions`, body: { transition: { id: transitionId } }, idempotent: false });
  }

  async addComment(key: string, body: AdfDocument, property: { key: string; value: unknown }): Promise<JiraComment> {
    return (await this.client.request({ method: 'POST', path: `/issue/${encodeURIComponent(key)}/comment`, body: { body, properties: [property] }, schema: jiraCommentSchema, idempotent: false })).data;
  }

  /** Newest first, with comment properties, so a read-back finds a just-written comment on the first page. */
  async recentComments(key: string, maxResults = 50): Promise<JiraComment[]> {
    return (await this.client.request({ method: 'GET', path: `/issue/${encodeURIComponent(key)}/comment`, query: { orderBy: '-created', maxResults, expand: 'properties' }, schema: pageOfCommentsSchema })).data.comments;
  }

  /** PUT replaces the assignee, so repeating it cannot change the outcome. */
  async assign(key: string, accountId: string): Promise<void> {
    await this.client.request({ method: 'PUT', path: `/issue/${encodeURIComponent(key)}/assignee`, body: { accountId }, idempotent: true });
  }

  async findUsers(query: string, maxResults = 10): Promise<JiraUser[]> {
    return (await this.client.request({ method: 'GET', path: '/user/search', query: { query, maxResults }, schema: userListSchema })).data;
  }
}
