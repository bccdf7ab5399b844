import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../../src/core/errors.js';
import type { SalesforceClient } from '../client.js';
import { sfDescribeSchema, sfRecordSchema, type SfRecord } from '../schemas.js';
import { buildSoql } from '../soql.js';
import { text } from './common.js';
import { CASE_FIELDS } from './normalize.js';

/** Case lookups and case comments shared by the case-changing tools. */

export const caseNumberSchema = z.string().trim().regex(/^\d{1,10}$/, 'a case number is digits, e.g. 00001026')
  .transform((n) => n.padStart(8, '0')).describe('Case number, e.g. 00001026 (leading zeros optional)');

/** Sharing applies: a case the employee may not see is "not found", as Salesforce answers. */
export async function caseByNumber(client: SalesforceClient, caseNumber: string): Promise<SfRecord> {
  const [found] = await client.query(buildSoql({ select: CASE_FIELDS, from: 'Case', where: [{ field: 'CaseNumber', op: '=', value: caseNumber }], limit: 1 }));
  if (!found) throw new NotFoundError(`Salesforce case ${caseNumber}`, `I could not find Salesforce case ${caseNumber}, or you do not have access to it.`);
  return found;
}

export async function readCase(client: SalesforceClient, id: string): Promise<SfRecord> {
  return (await client.request({ method: 'GET', path: `/sobjects/Case/${encodeURIComponent(id)}`, query: { fields: CASE_FIELDS.join(',') }, schema: sfRecordSchema })).data;
}

/** A picklist value as the org defines it (per org, so read from describe), matched on value or label. */
export async function picklistValue(client: SalesforceClient, object: 'Case', field: string, requested: string, what: string): Promise<string> {
  const { data } = await client.request({ method: 'GET', path: `/sobjects/${object}/describe`, schema: sfDescribeSchema });
  const values = data.fields.find((f) => f.name === field)?.picklistValues.filter((p) => p.active) ?? [];
  const wanted = requested.trim().toLowerCase();
  const match = values.find((p) => p.value.toLowerCase() === wanted || p.label.toLowerCase() === wanted);
  if (match) return match.value;
  throw new ValidationError(`unknown ${what} "${requested}"`, `"${requested}" is not a Salesforce case ${what}. Valid values: ${values.map((p) => p.label).join(', ')}.`);
}

/** The marker a Switchboard comment carries, so a retry or reconcile finds it instead of posting twice. */
export function commentRef(idempotencyKey: string): string {
  return `sb-${idempotencyKey.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}`;
}

export function withRef(body: string, ref: string): string {
  return `${body}\n\n(sent via Switchboard, ref ${ref})`;
}

export function withoutRef(body: string): string {
  return body.replace(/\s*\(sent via Switchboard, ref [^)]*\)\s*$/, '');
}

/** Long text cannot be filtered in SOQL, so the case's latest comments are read and the ref looked for here. */
export async function commentByRef(client: SalesforceClient, caseId: string, ref: string): Promise<SfRecord | undefined> {
  const recent = await client.query(buildSoql({
    select: ['Id', 'CommentBody', 'IsPublished', 'CreatedDate'], from: 'CaseComment', where: [{ field: 'ParentId', op: '=', value: caseId }],
    orderBy: { field: 'CreatedDate', direction: 'DESC' }, limit: 50,
  }), 50);
  return recent.find((c) => (text(c, 'CommentBody') ?? '').includes(`ref ${ref})`));
}
