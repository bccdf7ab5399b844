import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { fit, plural, quoteData } from '../../shared/summary.js';
import { knowledgeSearchSchema } from '../knowledgeSchemas.js';
import { clientFor, recordLink, type ServiceNowToolDeps } from './context.js';

const articleSchema = z.object({ number: z.string(), title: z.string(), snippet: z.string(), link: z.string() });

const input = z.object({
  query: z.string().trim().min(2).max(200).describe('What to look for, in the employee\'s words, e.g. "vpn error 809"'),
  limit: z.number().int().min(1).max(20).default(5).describe('Most articles to return (1-20, default 5)'),
}).strict();

/**
 * Searches published knowledge articles the employee may read, through the Knowledge Management
 * API's relevance search (the portal's search), best match first.
 */
export function searchKnowledgeTool(deps: ServiceNowToolDeps) {
  return defineTool({
    name: 'search_knowledge',
    description: 'Search the ServiceNow knowledge base for how-to and troubleshooting articles the employee can read.',
    input,
    output: z.object({ results: z.array(articleSchema), count: z.number().int().describe('All matches, beyond the ones returned') }),
    risk: 'read',
    idempotent: true,
    scopes: ['useraccount'],
    describe: (args) => `Search the ServiceNow knowledge base for "${args.query}"`,
    summarize: (out, args) => {
      const best = out.results[0];
      if (!best) return fit(`I found no knowledge article about ${quoteData(args.query, 60)}`);
      return fit(`${plural(out.count, 'knowledge article')} found; best match: ${quoteData(best.number, 16)} ${quoteData(best.title, 70)}`);
    },
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const found = await client.request({ method: 'GET', path: '/api/sn_km_api/knowledge/articles', query: { query: args.query, limit: args.limit }, schema: knowledgeSearchSchema });
      const results = found.data.result.articles.map((a) => ({
        number: a.number, title: a.title, snippet: a.snippet,
        link: recordLink(client.baseUrl, 'kb_knowledge', a.id.replace(/^kb_knowledge:/, '')),
      }));
      return { results, count: found.data.result.meta.count };
    },
  });
}
