import { CONNECTOR_MODULES } from '../../src/app/connectorModules.js';
import { exampleTenantsFilePath, loadTenantsFile } from '../../src/config/tenantsFile.js';
import type { ConnectorInstanceConfig, ConnectorKind } from '../../src/tools/connector.js';
import { buildToolRegistry, parametersOf, type RegisteredTool } from '../../src/tools/registry.js';
import { buildActionView, type ActionView } from '../../src/tools/actionView.js';
import type { TenantConfig } from '../../src/config/tenantConfig.js';

/**
 * Issue 11, finding 3 / deliverable 3: "the card is the action". For every tool in the registry
 * (all four product connectors and a tenant-defined tool), arguments generated from its schema
 * must all appear, complete, in the approval view the engine builds: `describe` alone used to drop
 * catalog variables, descriptions and long comments.
 */
type Schema = {
  type?: string | string[]; enum?: unknown[]; const?: unknown; pattern?: string; format?: string; minLength?: number; maxLength?: number; minimum?: number; maximum?: number;
  properties?: Record<string, Schema>; additionalProperties?: boolean | Schema; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[];
};

/** Values that satisfy the identifier patterns the connectors use; add one when a new pattern appears. */
const PATTERN_SAMPLES = [
  'INC0012345', 'RITM0010001', 'REQ0010001', 'KB0010001', 'NET-42', 'NETW', '0015g00000ABCDE', '00001026', '2026-12-31',
  '0123456789abcdef0123456789abcdef', 'ada@acme.test', 'a1',
];

function stringFor(tool: string, path: string, schema: Schema): string {
  if (schema.enum) return String(schema.enum[schema.enum.length - 1]);
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const sample = PATTERN_SAMPLES.find((s) => pattern.test(s));
    if (!sample) throw new Error(`no sample for ${tool}.${path} pattern ${schema.pattern}`);
    return sample;
  }
  const marker = `v:${tool}.${path}`;
  const max = schema.maxLength ?? 10_000;
  // Wide text fields get long, multi-line text whose end must still be on the card.
  if (max >= 1000) return `${marker} first line\n${'more detail for the approver to read '.repeat(20)}\nEND ${marker}`;
  return marker.length <= max ? marker.padEnd(schema.minLength ?? 0, '!') : marker.slice(-max);
}

function valueFor(tool: string, path: string, schema: Schema): unknown {
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return valueFor(tool, path, choices.find((c) => c.type !== 'null') ?? choices[0]!);
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (schema.format === 'date') return '2026-12-31';
  if (schema.format === 'email') return 'ada@acme.test';
  switch (type) {
    case 'integer':
    case 'number':
      return schema.maximum ?? schema.minimum ?? 7;
    case 'boolean':
      return true;
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(schema.properties ?? {})) out[key] = valueFor(tool, `${path}.${key}`, inner);
      if (typeof schema.additionalProperties === 'object') {
        out.first_var = valueFor(tool, `${path}.first_var`, schema.additionalProperties);
        out.second_var = valueFor(tool, `${path}.second_var`, schema.additionalProperties);
      }
      return out;
    }
    case 'array':
      return schema.items ? [valueFor(tool, `${path}.0`, schema.items)] : [];
    default:
      return stringFor(tool, path, schema);
  }
}

/** Every leaf of the arguments (and the keys of free-form maps), as the text the card must show. */
function leaves(value: unknown, key: string, nested = false): { key: string; text: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, `${key}.${index}`, true));
  if (value === null) return [{ key, text: '(none)' }];
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [...(nested ? [{ key: `${key}.${k}`, text: k }] : []), ...leaves(v, `${key}.${k}`, true)]);
  }
  if (typeof value === 'boolean') return [{ key, text: value ? 'yes' : 'no' }];
  return [{ key, text: String(value) }];
}

function shownOn(view: ActionView, text: string): boolean {
  return view.fields.some((field) => field.value === text || field.label.endsWith(` › ${text}`) || field.value.split('\n').includes(text));
}

async function registryTools(): Promise<RegisteredTool[]> {
  const file = await loadTenantsFile(exampleTenantsFilePath());
  const example = file.tenants[0]!;
  const tenant: TenantConfig = {
    ...example,
    customTools: [{
      name: 'order_parts',
      connector: 'servicenow',
      description: 'Order spare parts',
      risk: 'write',
      method: 'POST',
      path: '/api/parts',
      inputSchema: { type: 'object', properties: { part: { type: 'string', maxLength: 60 }, notes: { type: 'string', maxLength: 2000 }, count: { type: 'integer', minimum: 1, maximum: 5 } }, required: ['part'], additionalProperties: false },
    }],
  };
  const connectors: ConnectorInstanceConfig[] = (['servicenow', 'jira', 'salesforce', 'okta'] as ConnectorKind[]).map((kind) => ({
    id: kind, kind, displayName: kind, baseUrl: 'http://sandbox.invalid', options: {},
    oauth: { clientId: 'client', clientSecret: 'secret', scopes: [], redirectUri: 'http://sandbox.invalid/callback' },
  }));
  return [...buildToolRegistry({ tenant, connectors, modules: CONNECTOR_MODULES }).list()];
}

test('every argument of every tool is on the approval card, complete; describe alone was not enough', async () => {
  const tools = await registryTools();
  expect(tools.length).toBeGreaterThanOrEqual(27);
  const missingFromCard: string[] = [];
  const missingFromDescribe: string[] = [];
  let argumentsChecked = 0;
  for (const tool of tools) {
    const schema = (tool.jsonSchema ?? parametersOf(tool.definition.input)) as Schema;
    const generated = valueFor(tool.name, 'args', schema) as Record<string, unknown>;
    // Cross-field rules ("either priority or urgency") refuse some combinations: drop optional
    // arguments one at a time until the tool accepts the call.
    const optional = Object.keys(generated).filter((key) => !(schema as { required?: string[] }).required?.includes(key));
    let result = tool.jsonSchema ? { success: true as const, data: generated as unknown } : tool.definition.input.safeParse(generated);
    for (const key of optional) {
      if (result.success) break;
      delete generated[key];
      result = tool.definition.input.safeParse(generated);
    }
    if (!result.success) throw new Error(`generated arguments for ${tool.name} do not fit its schema (add a sample above): ${result.error.message}`);
    const parsed = result.data;
    const headline = tool.definition.describe?.(parsed) ?? tool.name;
    const view = buildActionView({ headline, args: parsed });
    for (const leaf of leaves(generated, tool.name)) {
      argumentsChecked += 1;
      if (!shownOn(view, leaf.text)) missingFromCard.push(`${leaf.key} = ${leaf.text.slice(0, 40)}`);
      if (!headline.includes(leaf.text)) missingFromDescribe.push(leaf.key);
    }
    for (const field of view.fields) if (field.value.length > 120 || field.value.includes('\n')) expect(field.long).toBe(true);
  }
  console.log(`approval card contract: ${tools.length} tools, ${argumentsChecked} argument values; missing from the card ${missingFromCard.length}, missing from describe() alone (the old card) ${missingFromDescribe.length}`);
  expect(missingFromCard).toEqual([]);
  // The old card (describe only) dropped arguments, e.g. catalog variables and long descriptions.
  expect(missingFromDescribe).toEqual(expect.arrayContaining(['servicenow_order_catalog_item.variables.first_var', 'jira_create_issue.description', 'servicenow_create_incident.description']));
});

test('a long value is complete on the card even where describe cuts it', async () => {
  const tool = (await registryTools()).find((t) => t.name === 'servicenow_add_comment')!;
  const comment = `${'Please also check the VPN concentrator logs from last night. '.repeat(10)}THE END`;
  const args = tool.definition.input.parse({ number: 'INC0012345', comment });
  const view = buildActionView({ headline: tool.definition.describe!(args), args });
  expect(view.headline).not.toContain('THE END');
  expect(view.fields).toContainEqual({ label: 'Comment', value: comment, long: true });
});
