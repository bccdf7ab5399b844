import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import type { LinkedCredential } from '../../src/tools/credentials.js';
import { JiraActionError, JiraNetworkError, JiraResponseError, JiraTimeoutError, jiraErrorFromResponse } from './errors.js';

/** Where one employee's Jira lives: the gateway path for API calls and the site URL for links people click. */
export interface JiraSite {
  readonly cloudId: string;
  /** `{baseUrl}/ex/jira/{cloudId}`; API paths are appended to it. */
  readonly apiBase: string;
  /** e.g. https://acme.atlassian.net, for `/browse/NET-12` links. */
  readonly siteUrl: string;
}

export const accessibleResourceSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  url: z.string(),
  scopes: z.array(z.string()).default([]),
  avatarUrl: z.string().optional(),
});
export type AccessibleResource = z.infer<typeof accessibleResourceSchema>;

const RESOURCES_TIMEOUT_MS = 10_000;

export function apiGatewayBase(config: ConnectorInstanceConfig): string {
  return config.baseUrl.replace(/\/+$/, '');
}

/** `GET {gateway}/oauth/token/accessible-resources`: the sites this grant reaches. */
export async function fetchAccessibleResources(input: { config: ConnectorInstanceConfig; accessToken: string; fetch?: typeof fetch; signal?: AbortSignal }): Promise<AccessibleResource[]> {
  const path = '/oauth/token/accessible-resources';
  const timeout = AbortSignal.timeout(RESOURCES_TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    response = await (input.fetch ?? fetch)(`${apiGatewayBase(input.config)}${path}`, {
      headers: { authorization: `Bearer ${input.accessToken}`, accept: 'application/json' },
      signal: input.signal ? AbortSignal.any([input.signal, timeout]) : timeout,
    });
    text = await response.text();
  } catch (error) {
    if (input.signal?.aborted) throw input.signal.reason ?? error;
    if (timeout.aborted) throw new JiraTimeoutError(RESOURCES_TIMEOUT_MS);
    throw new JiraNetworkError('GET', path, error);
  }
  const body: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) throw jiraErrorFromResponse(response.status, body, response.headers);
  const parsed = z.array(accessibleResourceSchema).safeParse(body);
  if (!parsed.success) throw new JiraResponseError('GET', path, 'accessible-resources is not a list of sites');
  return parsed.data;
}

/**
 * Picks the site: the configured `options.cloudId` or `options.siteUrl` when set (a grant may reach
 * several sites), else the first site the grant reaches.
 */
export function chooseResource(config: ConnectorInstanceConfig, resources: readonly AccessibleResource[]): AccessibleResource {
  const wantedId = config.options['cloudId'];
  const wantedUrl = config.options['siteUrl']?.replace(/\/+$/, '');
  const match = resources.find((r) => (wantedId ? r.id === wantedId : wantedUrl ? r.url.replace(/\/+$/, '') === wantedUrl : true));
  if (!match) {
    throw new JiraActionError('jira_site_unavailable', `no accessible Jira site matches the connector configuration (${resources.length} reachable)`, 'Your Jira account does not have access to this company’s Jira site. Please reconnect with the right site.');
  }
  return match;
}

export function siteFrom(config: ConnectorInstanceConfig, resource: { id: string; url: string }): JiraSite {
  return { cloudId: resource.id, apiBase: `${apiGatewayBase(config)}/ex/jira/${encodeURIComponent(resource.id)}`, siteUrl: resource.url.replace(/\/+$/, '') };
}

/** Uses the cloud id stored at linking time; asks the gateway only when the credential lacks it. */
export async function resolveSite(input: { config: ConnectorInstanceConfig; credential: LinkedCredential; fetch?: typeof fetch; signal?: AbortSignal }): Promise<JiraSite> {
  const cloudId = input.credential.metadata['cloud_id'];
  if (cloudId) return siteFrom(input.config, { id: cloudId, url: input.credential.metadata['site_url'] ?? input.config.options['siteUrl'] ?? apiGatewayBase(input.config) });
  const resources = await fetchAccessibleResources({ config: input.config, accessToken: input.credential.accessToken, ...(input.fetch ? { fetch: input.fetch } : {}), ...(input.signal ? { signal: input.signal } : {}) });
  return siteFrom(input.config, chooseResource(input.config, resources));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
