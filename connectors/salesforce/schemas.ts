import { z } from 'zod';

/**
 * Wire shapes of the Salesforce REST API (connectors.md §3), used by the client to parse answers and
 * by the contract test to check both the client's requests and the sandbox's responses.
 */

/** `[{"message","errorCode","fields"}]` */
export const sfErrorBodySchema = z.array(
  z.object({ message: z.string(), errorCode: z.string(), fields: z.array(z.string()).optional() }).loose(),
).min(1);
export type SfErrorBody = z.infer<typeof sfErrorBodySchema>;

export const sfAttributesSchema = z.object({ type: z.string(), url: z.string().optional() }).loose();

const fieldValueSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.object({ attributes: sfAttributesSchema }).loose()]),
);

/** One sObject as query and retrieve return it: `attributes` plus field values (parents nest as records). */
export const sfRecordSchema = z.object({ attributes: sfAttributesSchema }).catchall(fieldValueSchema);
export type SfRecord = z.infer<typeof sfRecordSchema>;

export const sfQueryResponseSchema = z.object({
  totalSize: z.number().int().nonnegative(),
  done: z.boolean(),
  nextRecordsUrl: z.string().startsWith('/services/data/').optional(),
  records: z.array(sfRecordSchema),
});
export type SfQueryResponse = z.infer<typeof sfQueryResponseSchema>;

/** 201 on create (`POST /sobjects/X`); upsert adds `created`. */
export const sfSaveResultSchema = z.object({
  id: z.string(),
  success: z.boolean(),
  errors: z.array(z.unknown()),
  created: z.boolean().optional(),
});
export type SfSaveResult = z.infer<typeof sfSaveResultSchema>;

export const sfPicklistValueSchema = z.object({ value: z.string(), label: z.string(), active: z.boolean(), defaultValue: z.boolean() }).loose();

export const sfDescribeSchema = z.object({
  name: z.string(),
  label: z.string(),
  fields: z.array(z.object({ name: z.string(), label: z.string(), type: z.string(), picklistValues: z.array(sfPicklistValueSchema) }).loose()),
}).loose();
export type SfDescribe = z.infer<typeof sfDescribeSchema>;

export const sfVersionsSchema = z.array(z.object({ label: z.string(), url: z.string(), version: z.string() }));

/** Token endpoint answer for both grants (refresh omits refresh_token unless the app rotates). */
export const sfTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.url(),
  id: z.url(),
  token_type: z.literal('Bearer'),
  issued_at: z.string().regex(/^\d+$/),
  signature: z.string(),
  scope: z.string().optional(),
  id_token: z.string().optional(),
});
export type SfTokenResponse = z.infer<typeof sfTokenResponseSchema>;

export const sfTokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export const sfUserInfoSchema = z.object({
  sub: z.string(),
  user_id: z.string(),
  organization_id: z.string(),
  preferred_username: z.string(),
  name: z.string(),
  email: z.string(),
  email_verified: z.boolean(),
  given_name: z.string(),
  family_name: z.string(),
  urls: z.record(z.string(), z.string()),
}).loose();

/** Request bodies the client sends. */
export const sfCaseUpsertBodySchema = z.object({
  Subject: z.string().min(1).max(255),
  Description: z.string().max(32_000).optional(),
  Priority: z.enum(['High', 'Medium', 'Low']),
  Origin: z.string(),
  AccountId: z.string().optional(),
}).strict();

export const sfOpportunityStageBodySchema = z.object({ StageName: z.string().min(1) }).strict();

export const sfTokenRequestSchema = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('authorization_code'), code: z.string(), client_id: z.string(), client_secret: z.string(), redirect_uri: z.string(), code_verifier: z.string() }).strict(),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string(), client_id: z.string(), client_secret: z.string() }).strict(),
]);

/** `Sforce-Limit-Info: api-usage=18/5000[, api-bursts=1/750]`. */
export const SFORCE_LIMIT_INFO_PATTERN = /^api-usage=\d+\/\d+(?:,\s*[a-z-]+=\d+\/\d+)*$/;
