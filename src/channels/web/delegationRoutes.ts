import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { SwitchboardError } from '../../core/errors.js';
import { sendJson, type HttpApp } from '../../http/httpApp.js';
import { delegationInputSchema, type ApprovalDelegations } from '../../engine/approvals/delegations.js';
import { readJson, sendError } from './http.js';
import type { WebPerson } from './people.js';

const userId = z.string().uuid('choose a person first');
const setSchema = delegationInputSchema.extend({ userId });
const clearSchema = z.object({ userId });

/**
 * Out of office in the playground: the signed-in (or picked) person names who decides their
 * approvals until a given time, or clears it. Always for the acting person only.
 */
export function mountDelegationRoutes(
  http: HttpApp,
  deps: {
    readonly tenantId: string;
    readonly delegations: ApprovalDelegations;
    readonly actor: (req: IncomingMessage, res: ServerResponse, userId: string, kind: 'read' | 'write') => Promise<WebPerson | undefined>;
  },
): void {
  http.route('PUT', '/api/web/delegation', async (req, res) => {
    const body = await readJson(req, res, setSchema, 4096);
    if (!body || !(await deps.actor(req, res, body.userId, 'write'))) return;
    try {
      const { userId: approverId, ...input } = body;
      sendJson(res, 200, { delegation: await deps.delegations.set(deps.tenantId, approverId, input) }, { 'cache-control': 'no-store' });
    } catch (error) {
      if (!(error instanceof SwitchboardError)) throw error;
      sendError(res, error.code === 'not_found' ? 404 : 400, error.code, error.userMessage);
    }
  });

  http.route('DELETE', '/api/web/delegation', async (req, res) => {
    const body = await readJson(req, res, clearSchema, 4096);
    if (!body || !(await deps.actor(req, res, body.userId, 'write'))) return;
    sendJson(res, 200, { cleared: await deps.delegations.clear(deps.tenantId, body.userId) }, { 'cache-control': 'no-store' });
  });
}
