import { z } from 'zod';
import { isSwitchboardError, userMessageOf } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { HttpHandler } from '../http/httpApp.js';
import type { AccountLinkingService, CompletedLink } from './accountLinkingService.js';
import { clearedLinkCookie, linkVerifierFrom } from './browserBinding.js';
import { LinkIdentityMismatchError } from './errors.js';
import { escapeHtml, paragraph, sendPage } from './linkPages.js';

const querySchema = z.union([
  z.object({ state: z.string().min(1).max(300), code: z.string().min(1).max(4096) }),
  z.object({ state: z.string().max(300).optional(), error: z.string().max(200), error_description: z.string().max(1000).optional() }),
]);

/**
 * GET /oauth/callback/:connectorId. Completes the link only for the browser that opened it (its
 * link cookie) and lets the engine resume the paused run through `onLinked`; a failure there does
 * not undo the link, the employee still sees success.
 */
export function oauthCallbackHandler(
  service: AccountLinkingService,
  onLinked: (link: CompletedLink) => Promise<void> | void,
  logger?: Logger,
  options: { secureCookies?: boolean; basePath?: string } = {},
): HttpHandler {
  return async (req, res, params) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parsed = querySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) {
      sendPage(res, 400, 'That link is not complete', paragraph('The sign-in response was missing information. Please start again from the chat.'));
      return;
    }
    if ('error' in parsed.data) {
      const declined = parsed.data.error === 'access_denied';
      sendPage(res, 400, declined ? 'Account not connected' : 'Sign-in failed',
        paragraph(declined ? 'You declined the request, so nothing was connected. You can close this tab.' : 'The sign-in did not finish. Please try again from the chat.'));
      return;
    }
    const { state, code } = parsed.data;
    const browserVerifier = linkVerifierFrom(req.headers.cookie, state);
    // The cookie has done its job whatever happens next.
    const clear: Record<string, string> = browserVerifier ? { 'set-cookie': clearedLinkCookie(state, options.secureCookies ?? false, options.basePath) } : {};
    let link: CompletedLink;
    try {
      link = await service.completeLink({ state, code, browserVerifier, ...(params.connectorId ? { connectorId: params.connectorId } : {}) });
    } catch (error) {
      logger?.warn({ code: isSwitchboardError(error) ? error.code : 'internal', connectorId: params.connectorId }, 'oauth callback refused');
      if (error instanceof LinkIdentityMismatchError) {
        // This browser held the link's cookie, so it is the employee's: offer a fresh link right here.
        const retry = await service.startLink(error.target).then((fresh) => retryForm(fresh.state, options.basePath ?? ''), () => '');
        sendPage(res, 403, 'Account not connected', paragraph(error.userMessage) + retry, clear);
        return;
      }
      sendPage(res, isSwitchboardError(error) ? 400 : 500, 'Account not connected', paragraph(userMessageOf(error)), clear);
      return;
    }
    try {
      await onLinked(link);
    } catch (error) {
      logger?.error({ code: isSwitchboardError(error) ? error.code : 'internal', tenantId: link.tenantId, connectorId: link.connectorId }, 'resuming after link failed');
    }
    sendPage(res, 200, 'Account connected — you can close this tab', paragraph(`Your ${link.connectorName} account is connected. Switchboard will carry on in the chat.`), clear);
  };
}

function retryForm(state: string, basePath: string): string {
  return `<form method="post" action="${escapeHtml(basePath)}/link/start"><input type="hidden" name="t" value="${escapeHtml(state)}"><button type="submit">Sign in again with my own account</button></form>`;
}
