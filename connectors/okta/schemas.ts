import { z } from 'zod';

/**
 * The parts of Okta's payloads the connector reads. Objects are loose (Okta adds properties over
 * time); only what a tool relies on is required.
 */
export const oktaErrorBodySchema = z.object({
  errorCode: z.string().optional(),
  errorSummary: z.string().optional(),
  errorLink: z.string().optional(),
  errorId: z.string().optional(),
  errorCauses: z.array(z.object({ errorSummary: z.string().optional() }).loose()).optional(),
}).loose();
export type OktaErrorBody = z.infer<typeof oktaErrorBodySchema>;

export const USER_STATUSES = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED', 'DEPROVISIONED'] as const;
export const userStatusSchema = z.enum(USER_STATUSES);

const nullableDate = z.string().nullable().optional();

export const oktaUserSchema = z.object({
  id: z.string(),
  status: userStatusSchema,
  transitioningToStatus: z.string().nullable().optional(),
  created: z.string().optional(),
  statusChanged: nullableDate,
  lastLogin: nullableDate,
  lastUpdated: z.string().optional(),
  passwordChanged: nullableDate,
  profile: z.object({
    login: z.string(),
    email: z.string().optional(),
    firstName: z.string().nullable().optional(),
    lastName: z.string().nullable().optional(),
    title: z.string().nullable().optional(),
    department: z.string().nullable().optional(),
    mobilePhone: z.string().nullable().optional(),
  }).loose(),
}).loose();
export type OktaUser = z.infer<typeof oktaUserSchema>;

export const oktaGroupSchema = z.object({
  id: z.string(),
  type: z.string().optional(),
  profile: z.object({ name: z.string(), description: z.string().nullable().optional() }).loose(),
}).loose();
export type OktaGroup = z.infer<typeof oktaGroupSchema>;

export const oktaAppLinkSchema = z.object({
  id: z.string().optional(),
  label: z.string(),
  linkUrl: z.string(),
  appName: z.string().optional(),
  appInstanceId: z.string(),
  appAssignmentId: z.string().optional(),
  hidden: z.boolean().optional(),
}).loose();
export type OktaAppLink = z.infer<typeof oktaAppLinkSchema>;

export const oktaFactorSchema = z.object({
  id: z.string(),
  factorType: z.string(),
  provider: z.string().optional(),
  status: z.string(),
}).loose();
export type OktaFactor = z.infer<typeof oktaFactorSchema>;

export const oktaAppSchema = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string(),
  status: z.string().optional(),
  signOnMode: z.string().optional(),
}).loose();
export type OktaApp = z.infer<typeof oktaAppSchema>;

export const oktaAppUserSchema = z.object({
  id: z.string(),
  scope: z.string().optional(),
  status: z.string().optional(),
  created: z.string().optional(),
}).loose();
export type OktaAppUser = z.infer<typeof oktaAppUserSchema>;

export const resetPasswordTokenSchema = z.object({ resetPasswordUrl: z.string().optional() }).loose();

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().positive().optional(),
  scope: z.string().optional(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
});

export const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export const userInfoSchema = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  preferred_username: z.string().optional(),
  name: z.string().optional(),
}).loose();

/** Claims read from the org authorization server's id token. */
export const idTokenClaimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  preferred_username: z.string().optional(),
}).loose();
