import { createHash } from 'node:crypto';
import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import { api, type Caller, type SandboxContext } from './context.js';
import { errors } from './responses.js';

/**
 * The Knowledge Management REST API (`/api/sn_km_api/knowledge/articles`): relevance search over
 * published articles the caller may read (user criteria, simplified here to roles), as the Service
 * Portal's knowledge search does. Articles live with the routes because nothing else writes them.
 */

export interface KnowledgeArticle {
  readonly sysId: string;
  readonly number: string;
  readonly title: string;
  readonly text: string;
  readonly knowledgeBase: string;
  readonly category: string;
  readonly workflowState: 'published' | 'draft' | 'retired';
  /** Roles that may read it; empty means every employee. */
  readonly roles: readonly string[];
  readonly updatedOn: string;
}

const SEED: readonly Omit<KnowledgeArticle, 'sysId' | 'number'>[] = [
  { title: 'Connect to the VPN with GlobalProtect', text: 'Install GlobalProtect from the Software Center, sign in with Okta and choose the nearest gateway. Error 809 means the office Wi-Fi blocks IKE: switch to the guest network or use the SSL fallback.', knowledgeBase: 'IT', category: 'Network', workflowState: 'published', roles: [], updatedOn: '2026-10-02 09:00:00' },
  { title: 'Reset your password and unlock your account', text: 'Use the "Forgot password" link on the Okta sign-in page; a reset link is emailed to you. After five failed sign-ins the account locks for 30 minutes.', knowledgeBase: 'IT', category: 'Accounts', workflowState: 'published', roles: [], updatedOn: '2026-09-14 10:30:00' },
  { title: 'Set up a second monitor on a USB-C dock', text: 'Update the dock firmware first, then connect the monitor to the DisplayPort output. Daisy-chained monitors need MST enabled on the monitor.', knowledgeBase: 'IT', category: 'Hardware', workflowState: 'published', roles: [], updatedOn: '2026-08-20 14:00:00' },
  { title: 'Request a software licence', text: 'Order "Software License" from the service catalog and name the software; approved titles are assigned within one business day.', knowledgeBase: 'IT', category: 'Software', workflowState: 'published', roles: [], updatedOn: '2026-07-01 08:00:00' },
  { title: 'VPN gateway failover runbook', text: 'For the Network team: fail the VPN gateway over to the secondary site, then flush the IKE security associations.', knowledgeBase: 'IT Operations', category: 'Network', workflowState: 'published', roles: ['itil'], updatedOn: '2026-10-10 16:00:00' },
  { title: 'Legacy VPN client (Cisco AnyConnect)', text: 'AnyConnect is no longer supported; use GlobalProtect.', knowledgeBase: 'IT', category: 'Network', workflowState: 'retired', roles: [], updatedOn: '2025-01-05 12:00:00' },
];

const STOP = new Set(['a', 'an', 'and', 'the', 'to', 'of', 'for', 'my', 'i', 'in', 'on', 'how', 'do', 'is', 'it', 'with', 'can', 'what']);

/** sys_ids derived from the number, so adding articles never shifts the ids of seeded records. */
export function seedKnowledge(): KnowledgeArticle[] {
  return SEED.map((a, i) => {
    const number = `KB${String(10 + i).padStart(7, '0')}`;
    return { ...a, number, sysId: createHash('md5').update(number).digest('hex') };
  });
}

export function registerKnowledgeRoutes(server: SandboxServer, ctx: SandboxContext, articles: readonly KnowledgeArticle[] = seedKnowledge()): void {
  for (const prefix of ['/api/sn_km_api/knowledge', '/api/sn_km_api/v1/knowledge']) {
    server.route('GET', `${prefix}/articles`, api(ctx, (req, caller) => search(articles, req, caller)));
  }
}

function readable(article: KnowledgeArticle, caller: Caller): boolean {
  return article.workflowState === 'published' && (article.roles.length === 0 || article.roles.some((r) => caller.acl.has(r)));
}

function search(articles: readonly KnowledgeArticle[], req: SandboxRequest, caller: Caller): SandboxResponse {
  const query = (req.query.get('query') ?? '').trim();
  const limit = Number(req.query.get('limit') ?? '30');
  const offset = Number(req.query.get('offset') ?? '0');
  if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) return errors.badRequest('Invalid parameter', 'limit and offset must be non-negative integers');
  const words = query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1 && !STOP.has(w));
  const scored = articles.filter((a) => readable(a, caller))
    .map((a) => {
      const title = a.title.toLowerCase();
      const body = a.text.toLowerCase();
      const score = words.reduce((sum, w) => sum + (title.includes(w) ? 3 : 0) + (body.includes(w) ? 1 : 0), 0);
      return { a, score };
    })
    .filter((s) => words.length === 0 || s.score > 0)
    .sort((x, y) => y.score - x.score || x.a.number.localeCompare(y.a.number));
  const page = scored.slice(offset, offset + limit);
  return {
    status: 200,
    body: {
      result: {
        meta: { start: offset, end: offset + page.length, fields: '', query, filter: '', kb: '', language: 'en', count: scored.length, ts_query_id: '', status: { code: 200 } },
        articles: page.map(({ a, score }, i) => ({
          link: `?id=kb_article_view&sys_kb_id=${a.sysId}`, rank: offset + i + 1, id: `kb_knowledge:${a.sysId}`, title: a.title,
          snippet: a.text.length > 160 ? `${a.text.slice(0, 157)}...` : a.text, score, tags: [], number: a.number, fields: {},
        })),
      },
    },
  };
}
