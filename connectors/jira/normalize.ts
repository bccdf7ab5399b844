import { z } from 'zod';
import { adfToText } from './adf.js';
import type { JiraIssue } from './schemas.js';
import type { JiraSite } from './site.js';

/** The compact issue every tool returns: what an employee or the model needs, with a link to click. */
export const issueSummarySchema = z.object({
  key: z.string(),
  id: z.string(),
  summary: z.string(),
  status: z.string(),
  statusCategory: z.string(),
  issueType: z.string().optional(),
  priority: z.string().optional(),
  assignee: z.string().nullable(),
  project: z.string().optional(),
  updated: z.string().optional(),
  url: z.string(),
});
export type IssueSummary = z.infer<typeof issueSummarySchema>;

export const issueDetailSchema = issueSummarySchema.extend({
  description: z.string(),
  reporter: z.string().nullable(),
  labels: z.array(z.string()),
  created: z.string().optional(),
  comments: z.array(z.object({ author: z.string(), created: z.string().optional(), text: z.string() })),
  commentCount: z.number().int(),
});
export type IssueDetail = z.infer<typeof issueDetailSchema>;

const MAX_TEXT = 2_000;
const MAX_COMMENTS = 5;

export function browseUrl(site: JiraSite, key: string): string {
  return `${site.siteUrl}/browse/${encodeURIComponent(key)}`;
}

export function toIssueSummary(issue: JiraIssue, site: JiraSite): IssueSummary {
  const f = issue.fields ?? {};
  const key = issue.key ?? issue.id;
  return {
    key,
    id: issue.id,
    summary: f.summary ?? '',
    status: f.status?.name ?? 'Unknown',
    statusCategory: f.status?.statusCategory?.name ?? 'Unknown',
    ...(f.issuetype ? { issueType: f.issuetype.name } : {}),
    ...(f.priority ? { priority: f.priority.name } : {}),
    assignee: f.assignee?.displayName ?? null,
    ...(f.project ? { project: f.project.key } : {}),
    ...(f.updated ? { updated: f.updated } : {}),
    url: browseUrl(site, key),
  };
}

export function toIssueDetail(issue: JiraIssue, site: JiraSite): IssueDetail {
  const f = issue.fields ?? {};
  const comments = f.comment?.comments ?? [];
  return {
    ...toIssueSummary(issue, site),
    description: clip(adfToText(f.description)),
    reporter: f.reporter?.displayName ?? null,
    labels: f.labels ?? [],
    ...(f.created ? { created: f.created } : {}),
    comments: comments.slice(-MAX_COMMENTS).map((c) => ({ author: c.author?.displayName ?? 'Unknown', ...(c.created ? { created: c.created } : {}), text: clip(adfToText(c.body)) })),
    commentCount: f.comment?.total ?? comments.length,
  };
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
