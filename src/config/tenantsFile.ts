import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { tenantsFileSchema, type TenantsFile } from './tenantConfig.js';

/** tenants.example.yaml at the repository root: the embedded default when TENANTS_FILE is unset. */
export function exampleTenantsFilePath(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const up = here.includes(join('dist', 'src')) ? ['..', '..', '..'] : ['..', '..'];
  return join(here, ...up, 'tenants.example.yaml');
}

/** `tenants[0].connectors[2].kind` from zod's path array. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

function issuesToLines(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${formatConfigPath(i.path) || '(root)'}: ${i.message}`);
}

/** Rules zod cannot see locally: references between tenants, users, groups and connectors. */
function crossReferenceProblems(file: TenantsFile): string[] {
  const problems: string[] = [];
  const tenantIds = new Set<string>();
  file.tenants.forEach((tenant, t) => {
    const at = `tenants[${t}]`;
    if (tenantIds.has(tenant.id)) problems.push(`${at}.id: tenant id "${tenant.id}" is used twice`);
    tenantIds.add(tenant.id);
    const emails = new Set(tenant.users.map((u) => u.email.toLowerCase()));
    tenant.users.forEach((user, u) => {
      if (user.managerEmail !== undefined && !emails.has(user.managerEmail.toLowerCase())) {
        problems.push(`${at}.users[${u}].managerEmail: ${user.managerEmail} is not one of this tenant's users`);
      }
    });
    const seen = new Set<string>();
    tenant.connectors.forEach((connector, c) => {
      if (seen.has(connector.id)) problems.push(`${at}.connectors[${c}].id: connector id "${connector.id}" is used twice`);
      seen.add(connector.id);
    });
    for (const [group, members] of Object.entries(tenant.approverGroups)) {
      members.forEach((email, m) => {
        if (!emails.has(email.toLowerCase())) problems.push(`${at}.approverGroups.${group}[${m}]: ${email} is not one of this tenant's users`);
      });
    }
    const groups = new Set([...Object.keys(tenant.approverGroups), 'manager']);
    tenant.approvalPolicy.rules.forEach((rule, r) => {
      rule.approvers.forEach((name, a) => {
        if (!groups.has(name)) problems.push(`${at}.approvalPolicy.rules[${r}].approvers[${a}]: unknown approver group "${name}"`);
      });
    });
    tenant.approvalPolicy.defaultHighRiskApprovers.forEach((name, a) => {
      if (!groups.has(name)) problems.push(`${at}.approvalPolicy.defaultHighRiskApprovers[${a}]: unknown approver group "${name}"`);
    });
    tenant.customTools.forEach((tool, i) => {
      if (!seen.has(tool.connector)) problems.push(`${at}.customTools[${i}].connector: unknown connector "${tool.connector}"`);
    });
    tenant.mcpServers.forEach((server, i) => {
      // MCP tools are namespaced by the server id, as connector tools are by the connector id.
      if (seen.has(server.id)) problems.push(`${at}.mcpServers[${i}].id: "${server.id}" is already a connector or MCP server id`);
      seen.add(server.id);
    });
  });
  return problems;
}

/** Validates already-parsed content; `source` names the file in error messages. */
export function parseTenantsFile(content: unknown, source: string): TenantsFile {
  const result = tenantsFileSchema.safeParse(content);
  const problems = result.success ? crossReferenceProblems(result.data) : issuesToLines(result.error.issues);
  if (!result.success || problems.length > 0) {
    throw new ConfigError(`Invalid tenants file ${source}:\n  - ${problems.join('\n  - ')}`, { source, problems });
  }
  return result.data;
}

/** Reads YAML (or JSON for *.json) and validates it with tenantsFileSchema. */
export async function loadTenantsFile(path: string): Promise<TenantsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read tenants file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, { source: path });
  }
  let content: unknown;
  try {
    content = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    throw new ConfigError(`Tenants file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}${where}: ${error instanceof Error ? error.message.split('\n')[0] : ''}`, { source: path });
  }
  return parseTenantsFile(content, path);
}
