import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '../../src/core/logger.js';
import { McpConnection } from '../../src/mcp/mcpConnection.js';
import { mcpServerSchema } from '../../src/mcp/mcpServerConfig.js';
import { mcpRegisteredTool } from '../../src/mcp/mcpToolDefinition.js';
import type { ToolSummary } from '../../src/planner/planner.js';
import { ToolRegistry } from '../../src/tools/registry.js';

interface Entity {
  /** Singular noun as the tool name spells it (`time_off_request`). */
  readonly name: string;
  /** What the server's descriptions say about it, written the long way vendors' MCP servers do. */
  readonly about: string;
  /** Fields a create/update takes besides the id. */
  readonly fields: readonly string[];
}

interface Server {
  readonly id: string;
  readonly displayName: string;
  readonly entities: readonly Entity[];
}

/** Five vendor-style MCP servers, 8 things × 5 verbs = 40 tools each (200 in all). */
const SERVERS: readonly Server[] = [
  { id: 'notion', displayName: 'Notion', entities: [
    { name: 'page', about: 'a Notion page (a document in a workspace, with a title, properties and block content)', fields: ['title', 'parent_id', 'content'] },
    { name: 'database', about: 'a Notion database (a table of pages sharing a property schema)', fields: ['title', 'parent_id', 'properties'] },
    { name: 'database_row', about: 'a row of a Notion database, which is itself a page with property values', fields: ['database_id', 'properties'] },
    { name: 'block', about: 'a content block on a Notion page (paragraph, heading, to-do, toggle, code)', fields: ['page_id', 'type', 'text'] },
    { name: 'page_comment', about: 'a comment in a discussion thread on a Notion page or block', fields: ['page_id', 'text'] },
    { name: 'workspace_member', about: 'a member or guest of the Notion workspace and their access level', fields: ['email', 'role'] },
    { name: 'template', about: 'a Notion page template that new pages in a database can start from', fields: ['database_id', 'title'] },
    { name: 'share_link', about: 'a public or workspace share link for a Notion page, with its permissions', fields: ['page_id', 'access'] },
  ] },
  { id: 'hris', displayName: 'BambooHR', entities: [
    { name: 'employee', about: 'an employee record in BambooHR (name, job title, manager, location, hire date)', fields: ['first_name', 'last_name', 'job_title', 'manager'] },
    { name: 'time_off_request', about: 'a vacation, sick or personal time off request and its approval status', fields: ['type', 'start', 'end', 'note'] },
    { name: 'time_off_balance', about: 'the remaining vacation and sick leave balance of an employee per policy', fields: ['employee_id', 'policy'] },
    { name: 'benefit_enrollment', about: 'an employee enrollment in a benefit plan (medical, dental, vision, 401k)', fields: ['plan', 'coverage'] },
    { name: 'department', about: 'a department of the company with its head and cost center', fields: ['name', 'head'] },
    { name: 'onboarding_task', about: 'a task on a new hire onboarding checklist (laptop, accounts, paperwork)', fields: ['employee_id', 'title', 'due'] },
    { name: 'performance_review', about: 'a performance review cycle entry with goals, ratings and manager feedback', fields: ['employee_id', 'cycle', 'rating'] },
    { name: 'payslip', about: 'a pay stub of an employee for one pay period, with gross, deductions and net pay', fields: ['employee_id', 'period'] },
  ] },
  { id: 'stripe', displayName: 'Stripe Billing', entities: [
    { name: 'customer', about: 'a Stripe customer (a paying company or person with email and payment methods)', fields: ['email', 'name'] },
    { name: 'invoice', about: 'a Stripe invoice billed to a customer, with line items, amount due and status', fields: ['customer_id', 'items'] },
    { name: 'subscription', about: 'a recurring Stripe subscription of a customer to one or more prices', fields: ['customer_id', 'price_id'] },
    { name: 'refund', about: 'a refund of a Stripe charge or payment intent, full or partial', fields: ['payment_intent', 'amount', 'reason'] },
    { name: 'payment_intent', about: 'a Stripe payment intent that tracks collecting a payment from a customer', fields: ['customer_id', 'amount', 'currency'] },
    { name: 'product', about: 'a product sold through Stripe (plan, add-on or one-off good)', fields: ['name', 'description'] },
    { name: 'price', about: 'a Stripe price of a product: amount, currency and billing interval', fields: ['product_id', 'amount', 'interval'] },
    { name: 'coupon', about: 'a Stripe discount coupon (percent or amount off) applied to invoices', fields: ['percent_off', 'duration'] },
  ] },
  { id: 'figma', displayName: 'Figma', entities: [
    { name: 'design_file', about: 'a Figma design file in a project, with its pages and frames', fields: ['project_id', 'name'] },
    { name: 'file_comment', about: 'a comment pinned on a Figma design file or frame', fields: ['file_key', 'message'] },
    { name: 'component', about: 'a published component of a Figma design system library', fields: ['file_key', 'name'] },
    { name: 'design_project', about: 'a Figma project (a folder of design files owned by a team)', fields: ['team_id', 'name'] },
    { name: 'team_member', about: 'a member of a Figma team and their seat type (viewer, editor, admin)', fields: ['email', 'seat'] },
    { name: 'file_version', about: 'a saved version in the history of a Figma design file', fields: ['file_key', 'label'] },
    { name: 'style', about: 'a shared Figma style (color, text, effect or grid) in a library', fields: ['file_key', 'name'] },
    { name: 'webhook', about: 'a Figma webhook that posts file events (update, comment, publish) to a URL', fields: ['team_id', 'endpoint', 'event'] },
  ] },
  { id: 'zoom', displayName: 'Zoom', entities: [
    { name: 'meeting', about: 'a scheduled or instant Zoom meeting with its join link, time and host', fields: ['topic', 'start_time', 'duration'] },
    { name: 'cloud_recording', about: 'a cloud recording of a past Zoom meeting, with video, audio and transcript files', fields: ['meeting_id'] },
    { name: 'webinar', about: 'a Zoom webinar with panelists and registration', fields: ['topic', 'start_time'] },
    { name: 'meeting_participant', about: 'a participant who joined a past Zoom meeting, with join and leave times', fields: ['meeting_id', 'email'] },
    { name: 'chat_message', about: 'a Zoom Team Chat message in a channel or direct conversation', fields: ['channel', 'message'] },
    { name: 'zoom_room', about: 'a Zoom Room (a conference room device) and its status and location', fields: ['name', 'location'] },
    { name: 'webinar_registrant', about: 'a person registered for a Zoom webinar and their approval status', fields: ['webinar_id', 'email'] },
    { name: 'usage_report', about: 'a Zoom account usage report (meetings, minutes, participants per day)', fields: ['from', 'to'] },
  ] },
];

const plural = (noun: string): string => (noun.endsWith('y') ? `${noun.slice(0, -1)}ies` : noun.endsWith('s') ? `${noun}es` : `${noun}s`);
const str = (description: string): { type: 'string'; description: string } => ({ type: 'string', description });

/** Boilerplate some vendors append to every description, and the many optional knobs they expose. */
const WORDY_TAIL = ' Use this tool whenever the user asks about it. Results are paginated, sorted by most recent first, localised to the workspace locale, and include audit metadata, links, owners, timestamps and custom fields.';
const WORDY_PROPS = Object.fromEntries(['locale', 'timezone', 'include_archived', 'include_metadata', 'sort_by', 'sort_order', 'fields', 'expand', 'workspace_id', 'dry_run', 'request_id', 'format'].map((p) => [p, { type: 'string', description: `Optional ${p}.` }]));

/** The tools one server advertises in `tools/list`, as the SDK types them. */
function serverTools(server: Server, wordy: boolean): Tool[] {
  const tools: Tool[] = [];
  for (const e of server.entities) {
    const spoken = e.name.replace(/_/g, ' ');
    const fieldProps = Object.fromEntries(e.fields.map((f) => [f, str(`The ${f.replace(/_/g, ' ')} of the ${spoken}.`)]));
    const input = (properties: Record<string, object>, required: string[]): Tool['inputSchema'] => ({ type: 'object', properties, required, $schema: 'http://json-schema.org/draft-07/schema#' });
    tools.push(
      { name: `list_${plural(e.name)}`, description: `List ${plural(spoken)}. Each item is ${e.about}. Supports paging with cursor and a limit of up to 100 items; filter with query.`,
        inputSchema: input({ query: str('Optional filter words.'), limit: { type: 'integer', description: 'Page size, 1-100.' }, cursor: str('Cursor from the previous page.') }, []), annotations: { readOnlyHint: true } },
      { name: `get_${e.name}`, description: `Retrieve one ${spoken} by its id: ${e.about}. Returns every field the caller may see.`,
        inputSchema: input({ id: str(`The ${spoken} id.`) }, ['id']), annotations: { readOnlyHint: true } },
      { name: `create_${e.name}`, description: `Create ${e.about}. Returns the new ${spoken} id. Fails if a required field is missing.`,
        inputSchema: input(fieldProps, e.fields.slice(0, 1)), annotations: { destructiveHint: false } },
      { name: `update_${e.name}`, description: `Update fields of an existing ${spoken}: ${e.about}. Only the given fields change.`,
        inputSchema: input({ id: str(`The ${spoken} id.`), ...fieldProps }, ['id']), annotations: { destructiveHint: false, idempotentHint: true } },
      { name: `delete_${e.name}`, description: `Permanently delete ${e.about}. This cannot be undone.`,
        inputSchema: input({ id: str(`The ${spoken} id.`) }, ['id']), annotations: { destructiveHint: true } },
    );
  }
  return wordy
    ? tools.map((t) => ({ ...t, description: `${t.description ?? ''}${WORDY_TAIL}`, inputSchema: { ...t.inputSchema, properties: { ...t.inputSchema.properties, ...WORDY_PROPS } } }))
    : tools;
}

/**
 * Five MCP servers × 40 tools as the planner sees them: each server's `tools/list` answer is turned
 * into registry entries by src/mcp's own conversion (namespacing, flattened descriptions, the
 * server's JSON Schema, risk from annotations) and summarised by the registry, exactly as a tenant
 * with these servers configured would show them. Nothing connects: the connections are never started.
 * `wordy` makes every description as long as src/mcp lets it be and adds a dozen optional arguments.
 */
export function mcpServerTools(options: { wordy?: boolean } = {}): ToolSummary[] {
  const logger = createLogger({ level: 'silent' });
  const registered = SERVERS.flatMap((server) => {
    const config = mcpServerSchema.parse({ id: server.id, url: `http://127.0.0.1:9/${server.id}/mcp`, displayName: server.displayName });
    const connection = new McpConnection({ config, logger, env: () => undefined, onToolsChanged: () => undefined, refreshIntervalMs: 0 });
    return serverTools(server, options.wordy ?? false).map((tool) => mcpRegisteredTool(connection, tool));
  });
  return [...new ToolRegistry(registered).summaries()];
}
