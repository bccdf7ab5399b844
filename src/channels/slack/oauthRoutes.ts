import { InstallProvider } from '@slack/oauth';
import type { InstallationStore, Logger as SlackLogger } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { HttpApp } from '../../http/httpApp.js';
import type { Logger } from '../../core/logger.js';
import { requiredBotScopes } from './scopes.js';
import type { SlackSettings } from './settings.js';

/**
 * Multi-workspace installs: `GET /slack/install` starts Slack's OAuth v2 flow, `GET
 * /slack/oauth_redirect` finishes it and stores the installation (tokens encrypted by the store).
 * Bolt's InstallProvider does the protocol, including the signed state cookie.
 */
export function mountOAuthRoutes(http: HttpApp, settings: SlackSettings, store: InstallationStore, clientOptions: WebClientOptions, slackLogger: SlackLogger, logger: Logger): void {
  const oauth = settings.oauth;
  if (!oauth) return;
  const installer = new InstallProvider({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore: store,
    logger: slackLogger,
    clientOptions,
    ...(settings.apiUrl ? { authorizationUrl: new URL('/oauth/v2/authorize', settings.apiUrl).toString() } : {}),
  });
  const redirectUri = settings.publicUrl ? new URL('/slack/oauth_redirect', settings.publicUrl).toString() : undefined;
  const installOptions = { scopes: requiredBotScopes(), ...(redirectUri ? { redirectUri } : {}) };
  http.route('GET', '/slack/install', async (req, res) => {
    await installer.handleInstallPath(req, res, {}, installOptions);
  });
  http.route('GET', '/slack/oauth_redirect', async (req, res) => {
    await installer.handleCallback(req, res, {
      failureAsync: async (error, _options, _req, response) => {
        logger.warn({ code: error.code, reason: error.message }, 'slack install failed');
        response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<html><body><h1>Switchboard could not be installed</h1><p>This Slack workspace is not set up for Switchboard, or the install link expired. Please ask your IT team.</p></body></html>');
      },
    });
  });
}
