import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { isSwitchboardError, userMessageOf } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { HttpHandler } from '../http/httpApp.js';
import type { AccountLinkingService, CompletedLink } from './accountLinkingService.js';

const querySchema = z.union([
  z.object({ state: z.string().min(1).max(300), code: z.string().min(1).max(4096) }),
  z.object({ state: z.string().max(300).optional(), error: z.string().max(200), error_description: z.string().max(1000).optional() }),
]);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1d1c1d}h1{font-size:1.4rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
  // no-store: the URL carried a one-time code; referrer policy keeps it out of any onward request.
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  res.end(html);
}

/**
 * GET /oauth/callback/:connectorId. Completes the link and lets the engine resume the paused run
 * through `onLinked`; a failure there does not undo the link, the employee still sees success.
 */
export function oauthCallbackHandler(service: AccountLinkingService, onLinked: (link: CompletedLink) => Promise<void> | void, logger?: Logger): HttpHandler {
  return async (req, res, params) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parsed = querySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) {
      page(res, 400, 'That link is not complete', 'The sign-in response was missing information. Please start again from the chat.');
      return;
    }
    if ('error' in parsed.data) {
      const declined = parsed.data.error === 'access_denied';
      page(res, 400, declined ? 'Account not connected' : 'Sign-in failed',
        declined ? 'You declined the request, so nothing was connected. You can close this tab.' : 'The sign-in did not finish. Please try again from the chat.');
      return;
    }
    let link: CompletedLink;
    try {
      link = await service.completeLink({ state: parsed.data.state, code: parsed.data.code, ...(params.connectorId ? { connectorId: params.connectorId } : {}) });
    } catch (error) {
      logger?.warn({ code: isSwitchboardError(error) ? error.code : 'internal', connectorId: params.connectorId }, 'oauth callback refused');
      page(res, isSwitchboardError(error) ? 400 : 500, 'Account not connected', userMessageOf(error));
      return;
    }
    try {
      await onLinked(link);
    } catch (error) {
      logger?.error({ code: isSwitchboardError(error) ? error.code : 'internal', tenantId: link.tenantId, connectorId: link.connectorId }, 'resuming after link failed');
    }
    page(res, 200, 'Account connected — you can close this tab', `Your ${link.connectorName} account is connected. Switchboard will carry on in the chat.`);
  };
}
