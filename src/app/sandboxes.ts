import type { ConnectorKind } from '../tools/connector.js';
import { startServiceNowSandbox, type ServiceNowSandbox } from '../../connectors/servicenow/sandbox/index.js';
import { startJiraSandbox, type JiraSandbox } from '../../connectors/jira/sandbox/index.js';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../connectors/salesforce/sandbox/index.js';
import { startOktaSandbox, type OktaSandbox } from '../../connectors/okta/sandbox/index.js';
import { ConfigError } from '../core/errors.js';

/** The four vendor simulators, seeded with the demo organisation, as one unit the process owns. */
export interface Sandboxes {
  readonly servicenow: ServiceNowSandbox;
  readonly jira: JiraSandbox;
  readonly salesforce: SalesforceSandbox;
  readonly okta: OktaSandbox;
  readonly urls: Readonly<Record<ConnectorKind, string>>;
  stop(): Promise<void>;
}

export const SANDBOX_ORDER: readonly ConnectorKind[] = ['servicenow', 'jira', 'salesforce', 'okta'];

/**
 * `portsStart` 0 asks the OS for free ports (tests); otherwise servicenow, jira, salesforce and okta
 * take portsStart .. portsStart+3 so bookmarked sandbox URLs stay stable between runs.
 */
export async function startSandboxes(options: { portsStart: number; seed?: number; /** Fault knobs and record views over HTTP (embedded default or SANDBOX_ADMIN=true). */ admin?: boolean }): Promise<Sandboxes> {
  const port = (i: number): number => (options.portsStart === 0 ? 0 : options.portsStart + i);
  const seed = options.seed ?? 42;
  const started: { stop(): Promise<void> }[] = [];
  const track = async <T extends { stop(): Promise<void> }>(kind: ConnectorKind, start: () => Promise<T>): Promise<T> => {
    try {
      const sandbox = await start();
      started.push(sandbox);
      return sandbox;
    } catch (error) {
      await Promise.allSettled(started.map((s) => s.stop()));
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      throw new ConfigError(
        inUse
          ? `the ${kind} sandbox could not listen on port ${port(SANDBOX_ORDER.indexOf(kind))} (already in use); set SANDBOX_PORTS_START to a free range`
          : `the ${kind} sandbox did not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  const admin = options.admin ?? false;
  const servicenow = await track('servicenow', () => startServiceNowSandbox({ port: port(0), seed, admin }));
  const jira = await track('jira', () => startJiraSandbox({ port: port(1), seed, admin }));
  const salesforce = await track('salesforce', () => startSalesforceSandbox({ port: port(2), seed, admin }));
  const okta = await track('okta', () => startOktaSandbox({ port: port(3), seed, admin }));
  return {
    servicenow, jira, salesforce, okta,
    urls: { servicenow: servicenow.url, jira: jira.url, salesforce: salesforce.url, okta: okta.url },
    stop: async () => {
      await Promise.allSettled(started.map((s) => s.stop()));
    },
  };
}
