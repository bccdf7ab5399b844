import { z } from 'zod';
import { isSwitchboardError, userMessageOf } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { readBody, type HttpHandler } from '../http/httpApp.js';
import type { AccountLinkingService } from './accountLinkingService.js';
import { linkCookie } from './browserBinding.js';
import { escapeHtml, paragraph, sendPage } from './linkPages.js';

const ticketSchema = z.object({ t: z.string().min(1).max(300) });

/**
 * GET /link/start?t=… — the link posted in chat lands here, on our origin, never straight at the
 * provider. The page says whose account it connects and continues with a POST, so link previews
 * (which only GET) cannot use the link up.
 */
export function linkStartPage(service: AccountLinkingService, options: { basePath?: string } = {}): HttpHandler {
  return async (req, res) => {
    const parsed = ticketSchema.safeParse(Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams));
    if (!parsed.success) {
      sendPage(res, 400, 'That link is not complete', paragraph('Please ask me again in the chat for a fresh link.'));
      return;
    }
    try {
      const info = await service.describe(parsed.data.t);
      sendPage(res, 200, `Connect your ${info.connectorName} account`, [
        paragraph(`This connects the ${info.connectorName} account of ${info.userDisplayName} (${info.userEmail}) to Switchboard, so it can act as them.`),
        paragraph(`If you are not ${info.userDisplayName}, close this page. Next, sign in to ${info.connectorName} with your own account.`),
        `<form method="post" action="${escapeHtml(options.basePath ?? '')}/link/start"><input type="hidden" name="t" value="${escapeHtml(parsed.data.t)}"><button type="submit">Continue to ${escapeHtml(info.connectorName)}</button></form>`,
      ].join(''));
    } catch (error) {
      sendPage(res, isSwitchboardError(error) ? 400 : 500, 'Account not connected', paragraph(userMessageOf(error)));
    }
  };
}

/** POST /link/start — binds the link to this browser (HttpOnly cookie) and sends it to the provider. */
export function linkStartSubmit(service: AccountLinkingService, options: { secureCookies: boolean; basePath?: string; logger?: Logger }): HttpHandler {
  return async (req, res) => {
    // A form posted from another site could bind someone's browser to a link they never saw.
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      sendPage(res, 403, 'Account not connected', paragraph('Please open the link from the chat again.'));
      return;
    }
    const parsed = ticketSchema.safeParse(Object.fromEntries(new URLSearchParams(await readBody(req, 4096).catch(() => ''))));
    if (!parsed.success) {
      sendPage(res, 400, 'That link is not complete', paragraph('Please ask me again in the chat for a fresh link.'));
      return;
    }
    try {
      const opened = await service.openLink({ state: parsed.data.t });
      const maxAgeSeconds = (opened.expiresAt.getTime() - Date.now()) / 1000;
      res.writeHead(303, {
        location: opened.authorizeUrl,
        'set-cookie': linkCookie({ state: parsed.data.t, verifier: opened.browserVerifier, maxAgeSeconds, secure: options.secureCookies, ...(options.basePath ? { basePath: options.basePath } : {}) }),
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      res.end();
    } catch (error) {
      options.logger?.warn({ code: isSwitchboardError(error) ? error.code : 'internal' }, 'account link could not be opened');
      sendPage(res, isSwitchboardError(error) ? 400 : 500, 'Account not connected', paragraph(userMessageOf(error)));
    }
  };
}
