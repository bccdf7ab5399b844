import { startSandboxes, SANDBOX_ORDER } from '../src/app/sandboxes.js';
import { loadEnv } from '../src/config/env.js';
import { DEMO_PEOPLE } from '../connectors/shared/demoOrg.js';

// `npm run sandbox`: the four vendor simulators alone, for exploring their APIs or pointing a
// separately started Switchboard (or curl) at them.
const env = loadEnv();
const sandboxes = await startSandboxes({ portsStart: env.SANDBOX_PORTS_START });
const names: Record<string, string> = { servicenow: 'ServiceNow', jira: 'Jira', salesforce: 'Salesforce', okta: 'Okta' };
const lines = SANDBOX_ORDER.map((kind) => `  ${names[kind]!.padEnd(11)} ${sandboxes.urls[kind]}`);
lines.push(`  ${'(SF inst.)'.padEnd(11)} ${sandboxes.salesforce.instanceUrl}`);
process.stdout.write(
  `Switchboard sandboxes (demo organisation: ${DEMO_PEOPLE.map((p) => p.email).join(', ')})\n${lines.join('\n')}\n` +
    `  Okta service token: ${sandboxes.okta.serviceToken.slice(0, 6)}… (sandbox only)\nPress Ctrl+C to stop.\n`,
);
const stop = (): void => {
  void sandboxes.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
