import { API_PREFIX } from '../constants.js';
import type { SandboxServer } from '../../shared/sandboxServer.js';
import { authed } from './auth.js';
import { ok, sfError, type SandboxContext } from './context.js';
import { runSoql, SoqlError } from './soqlEngine.js';

/** `GET /query?q=` and the `nextRecordsUrl` locators it hands out (`/query/01g…-<offset>`). */
export function registerQueryRoutes(server: SandboxServer, ctx: SandboxContext): void {
  const { state } = ctx;

  const page = (locator: string, offset: number): Record<string, unknown> => {
    const cursor = state.cursors.get(locator);
    const rows = cursor?.rows ?? [];
    const end = offset + ctx.queryBatchSize;
    const done = end >= rows.length;
    if (done) state.cursors.delete(locator);
    return {
      totalSize: cursor?.totalSize ?? 0,
      done,
      ...(done ? {} : { nextRecordsUrl: `${API_PREFIX}/query/${locator}-${end}` }),
      records: rows.slice(offset, end),
    };
  };

  server.route('GET', `${API_PREFIX}/query`, authed(ctx, (req, user) => {
    const soql = req.query.get('q');
    if (!soql) return sfError(state, 400, 'MALFORMED_QUERY', 'A query string has to be specified');
    let rows;
    try {
      rows = runSoql(state, user.id, soql);
    } catch (error) {
      if (error instanceof SoqlError) return sfError(state, 400, error.errorCode, error.message);
      throw error;
    }
    const locator = `01g5g0000${ctx.newSecret(6).replace(/[^A-Za-z0-9]/g, 'x')}`;
    state.cursors.set(locator, { userId: user.id, rows, totalSize: rows.length });
    return ok(state, 200, page(locator, 0));
  }));

  server.route('GET', `${API_PREFIX}/query/:locator`, authed(ctx, (req, user) => {
    const match = /^(.+)-(\d+)$/.exec(req.params['locator'] ?? '');
    const cursor = match?.[1] ? state.cursors.get(match[1]) : undefined;
    // A locator belongs to the session user that ran the query; anyone else gets the same answer as a stale one.
    if (!match?.[1] || !cursor || cursor.userId !== user.id) return sfError(state, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return ok(state, 200, page(match[1], Number(match[2])));
  }));
}
