import { z } from 'zod';

/**
 * What the connector reads from Jira's answers. Unknown keys are dropped: Jira adds fields freely,
 * and tools return compact objects built from these, never the raw payload.
 */
export const jiraUserSchema = z.object({
  accountId: z.string().min(1),
  displayName: z.string().optional(),
  emailAddress: z.string().nullish(),
  active: z.boolean().optional(),
});
export type JiraUser = z.infer<typeof jiraUserSchema>;

export const jiraStatusSchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  statusCategory: z.object({ key: z.string().optional(), name: z.string().optional() }).optional(),
});

export const entityPropertySchema = z.object({ key: z.string(), value: z.unknown() });

export const jiraCommentSchema = z.object({
  id: z.string(),
  self: z.string().optional(),
  author: jiraUserSchema.partial().optional(),
  body: z.unknown().optional(),
  created: z.string().optional(),
  properties: z.array(entityPropertySchema).optional(),
});
export type JiraComment = z.infer<typeof jiraCommentSchema>;

export const pageOfCommentsSchema = z.object({
  comments: z.array(jiraCommentSchema),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
});

export const jiraIssueFieldsSchema = z.object({
  summary: z.string().optional(),
  status: jiraStatusSchema.optional(),
  assignee: jiraUserSchema.partial().nullish(),
  reporter: jiraUserSchema.partial().nullish(),
  priority: z.object({ name: z.string() }).nullish(),
  issuetype: z.object({ name: z.string() }).optional(),
  project: z.object({ key: z.string(), name: z.string().optional() }).optional(),
  labels: z.array(z.string()).optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
  description: z.unknown().optional(),
  comment: z.object({ comments: z.array(jiraCommentSchema), total: z.number().optional() }).optional(),
});

export const jiraIssueSchema = z.object({
  id: z.string(),
  key: z.string().optional(),
  self: z.string().optional(),
  fields: jiraIssueFieldsSchema.optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type JiraIssue = z.infer<typeof jiraIssueSchema>;

export const searchResultSchema = z.object({
  issues: z.array(jiraIssueSchema).default([]),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

export const createdIssueSchema = z.object({ id: z.string(), key: z.string(), self: z.string() });

export const transitionsSchema = z.object({
  transitions: z.array(z.object({ id: z.string(), name: z.string(), to: jiraStatusSchema, isAvailable: z.boolean().optional() })),
});
export type JiraTransition = z.infer<typeof transitionsSchema>['transitions'][number];

export const userListSchema = z.array(jiraUserSchema);
