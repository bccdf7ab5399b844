import { z } from 'zod';
import type { SfRecord } from '../schemas.js';
import { bool, num, parentText, recordLink, text } from './common.js';

/** Compact, vendor-neutral shapes the planner and the employee see instead of raw sObjects. */

export const accountSchema = z.object({
  id: z.string(), name: z.string(), industry: z.string().nullable(), type: z.string().nullable(),
  city: z.string().nullable(), owner: z.string().nullable(), link: z.string(),
});
export const ACCOUNT_FIELDS = ['Id', 'Name', 'Industry', 'Type', 'BillingCity', 'Owner.Name'];
export function toAccount(r: SfRecord, instanceUrl: string): z.infer<typeof accountSchema> {
  const id = text(r, 'Id') ?? '';
  return {
    id, name: text(r, 'Name') ?? '', industry: text(r, 'Industry'), type: text(r, 'Type'), city: text(r, 'BillingCity'),
    owner: parentText(r, 'Owner', 'Name'), link: recordLink(instanceUrl, 'Account', id),
  };
}

export const opportunitySchema = z.object({
  id: z.string(), name: z.string(), stage: z.string(), amount: z.number().nullable(), closeDate: z.string().nullable(),
  probability: z.number().nullable(), closed: z.boolean(), won: z.boolean(), account: z.string().nullable(), owner: z.string().nullable(), link: z.string(),
});
export const OPPORTUNITY_FIELDS = ['Id', 'Name', 'StageName', 'Amount', 'CloseDate', 'Probability', 'IsClosed', 'IsWon', 'Account.Name', 'Owner.Name'];
export function toOpportunity(r: SfRecord, instanceUrl: string): z.infer<typeof opportunitySchema> {
  const id = text(r, 'Id') ?? '';
  return {
    id, name: text(r, 'Name') ?? '', stage: text(r, 'StageName') ?? '', amount: num(r, 'Amount'), closeDate: text(r, 'CloseDate'),
    probability: num(r, 'Probability'), closed: bool(r, 'IsClosed'), won: bool(r, 'IsWon'), account: parentText(r, 'Account', 'Name'),
    owner: parentText(r, 'Owner', 'Name'), link: recordLink(instanceUrl, 'Opportunity', id),
  };
}

export const caseSchema = z.object({
  id: z.string(), caseNumber: z.string(), subject: z.string().nullable(), status: z.string().nullable(), priority: z.string().nullable(),
  closed: z.boolean(), account: z.string().nullable(), owner: z.string().nullable(), createdAt: z.string().nullable(), link: z.string(),
});
export const CASE_FIELDS = ['Id', 'CaseNumber', 'Subject', 'Status', 'Priority', 'IsClosed', 'Account.Name', 'Owner.Name', 'CreatedDate'];
export function toCase(r: SfRecord, instanceUrl: string): z.infer<typeof caseSchema> {
  const id = text(r, 'Id') ?? '';
  return {
    id, caseNumber: text(r, 'CaseNumber') ?? '', subject: text(r, 'Subject'), status: text(r, 'Status'), priority: text(r, 'Priority'),
    closed: bool(r, 'IsClosed'), account: parentText(r, 'Account', 'Name'), owner: parentText(r, 'Owner', 'Name'),
    createdAt: text(r, 'CreatedDate'), link: recordLink(instanceUrl, 'Case', id),
  };
}
