import { z } from 'zod';

/**
 * Knowledge Management REST API (`GET /api/sn_km_api/knowledge/articles`) response shape. The
 * client parses with it, and the contract test holds the sandbox's answers to it.
 */
export const knowledgeArticleSchema = z.object({
  link: z.string(),
  rank: z.number().optional(),
  id: z.string().describe('"kb_knowledge:<sys_id>"'),
  title: z.string(),
  snippet: z.string(),
  score: z.number(),
  tags: z.array(z.unknown()).optional(),
  number: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
});

export const knowledgeSearchSchema = z.object({
  result: z.object({
    meta: z.object({ start: z.number(), end: z.number(), query: z.string(), count: z.number() }).passthrough(),
    articles: z.array(knowledgeArticleSchema),
  }),
});
