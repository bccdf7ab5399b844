import { z } from 'zod';
import type { JsonObject } from '../core/json.js';
import { keyOf } from './patch.js';
import { ScimError, scimBoolean, URN } from './protocol.js';

const text = (max: number) => z.string().max(max);
const bool = z.unknown().transform((v, ctx) => {
  if (v === undefined || v === null) return undefined;
  const b = scimBoolean(v);
  if (b === undefined) ctx.addIssue({ code: 'custom', message: 'must be a boolean' });
  return b;
});

const multiValued = z.array(z.object({ value: z.unknown().optional(), type: z.string().nullish(), primary: bool.optional(), display: z.string().nullish() }).passthrough()).max(50);

const managerRef = z.object({ value: z.string().nullish(), displayName: z.string().nullish(), $ref: z.string().nullish() }).passthrough();
/**
 * Entra sends the manager as a bare id (PATCH on the extension path) or, in its older documented
 * form, as `[{ "$ref": null, "value": id }]` on path "manager"; Okta and RFC 7643 as { value }.
 * Empty means none.
 */
const manager = z.union([z.string(), managerRef, z.array(managerRef).max(1), z.null()]).transform((m) => {
  const ref = Array.isArray(m) ? m[0] : m;
  const id = typeof ref === 'string' ? ref : ref?.value;
  return id && id.trim() !== '' ? id.trim() : null;
});

const enterpriseSchema = z
  .object({
    department: text(256).nullish(),
    manager: manager.optional(),
    employeeNumber: text(256).nullish(),
    costCenter: text(256).nullish(),
    organization: text(256).nullish(),
    division: text(256).nullish(),
  })
  .passthrough();

/** A SCIM User as Switchboard keeps it: the core attributes IdPs send plus the enterprise extension. */
export const userDocumentSchema = z
  .object({
    userName: text(320).trim().min(1, 'userName is required'),
    externalId: text(256).nullish(),
    active: bool.optional(),
    displayName: text(256).nullish(),
    name: z.object({ formatted: text(256).nullish(), givenName: text(256).nullish(), familyName: text(256).nullish(), middleName: text(256).nullish() }).passthrough().nullish(),
    title: text(256).nullish(),
    nickName: text(256).nullish(),
    preferredLanguage: text(64).nullish(),
    locale: text(64).nullish(),
    timezone: text(64).nullish(),
    userType: text(64).nullish(),
    emails: multiValued.nullish(),
    phoneNumbers: multiValued.nullish(),
    [URN.enterprise]: enterpriseSchema.nullish(),
  })
  .passthrough();
export type UserDocument = z.infer<typeof userDocumentSchema>;

const ENTERPRISE_AT_TOP = ['manager', 'department'];
const CORE_KEYS = ['userName', 'externalId', 'active', 'displayName', 'name', 'title', 'nickName', 'preferredLanguage', 'locale', 'timezone', 'userType', 'emails', 'phoneNumbers', URN.enterprise];
/** Never stored or echoed: server-owned or secret. */
const DROPPED = ['id', 'meta', 'groups', 'password', 'schemas', 'x509Certificates'];

/** Canonical key names (attribute names are case-insensitive), server-owned attributes and passwords dropped. */
export function canonicalUser(input: JsonObject): JsonObject {
  const out: JsonObject = {};
  const moved: JsonObject = {};
  for (const [key, value] of Object.entries(input)) {
    if (DROPPED.some((d) => d.toLowerCase() === key.toLowerCase())) continue;
    // Entra's PATCH on path "manager" (no extension URN) lands at the top level: it belongs to the extension.
    const extensionKey = ENTERPRISE_AT_TOP.find((k) => k.toLowerCase() === key.toLowerCase());
    if (extensionKey) moved[extensionKey] = value;
    else out[CORE_KEYS.find((k) => k.toLowerCase() === key.toLowerCase()) ?? key] = value;
  }
  if (Object.keys(moved).length > 0) {
    const ext = out[URN.enterprise];
    out[URN.enterprise] = { ...(ext && typeof ext === 'object' && !Array.isArray(ext) ? ext : {}), ...moved };
  }
  return out;
}

/** A person's representation is stored and echoed (unknown attributes included): bounded well below the route's body limit. */
const MAX_USER_BYTES = 64 * 1024;

export function parseUserDocument(input: unknown): UserDocument {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ScimError(400, 'The body must be a JSON object.', 'invalidSyntax');
  if (JSON.stringify(input).length > MAX_USER_BYTES) throw new ScimError(413, `A user representation may not exceed ${MAX_USER_BYTES} bytes.`);
  const parsed = userDocumentSchema.safeParse(canonicalUser(input as JsonObject));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScimError(400, `${issue?.path.join('.') || 'User'}: ${issue?.message ?? 'invalid'}`, 'invalidValue');
  }
  return parsed.data;
}

/** What the rest of Switchboard reads from a provisioned person. */
export interface DerivedUser {
  readonly userName: string;
  readonly email: string;
  readonly displayName: string;
  readonly externalId: string | null;
  readonly active: boolean;
  readonly managerId: string | null;
}

/** The person's email is the primary one, else the work one, else the first, else a userName that is an email. */
export function deriveUser(doc: UserDocument): DerivedUser {
  const emails = (doc.emails ?? []).filter((e) => typeof e.value === 'string' && e.value.includes('@'));
  const chosen = emails.find((e) => e.primary === true) ?? emails.find((e) => e.type?.toLowerCase() === 'work') ?? emails[0];
  const email = (typeof chosen?.value === 'string' ? chosen.value : doc.userName.includes('@') ? doc.userName : '').trim().toLowerCase();
  if (!z.string().email().safeParse(email).success) throw new ScimError(400, 'The user needs an email address (emails[].value or an email as userName): Switchboard matches people by email.', 'invalidValue');
  const fromName = [doc.name?.givenName, doc.name?.familyName].filter(Boolean).join(' ');
  const displayName = (doc.displayName || doc.name?.formatted || fromName || doc.userName).trim();
  const enterprise = doc[URN.enterprise];
  return { userName: doc.userName, email, displayName, externalId: doc.externalId ?? null, active: doc.active ?? true, managerId: enterprise?.manager ?? null };
}

/** The stored document: validated input in canonical form, with the coerced active flag and manager id. */
export function storedDocument(doc: UserDocument): JsonObject {
  const stored = JSON.parse(JSON.stringify(doc)) as JsonObject;
  stored.active = doc.active ?? true;
  const ext = stored[keyOf(stored, URN.enterprise)];
  if (ext && typeof ext === 'object' && !Array.isArray(ext)) {
    const manager = doc[URN.enterprise]?.manager;
    if (manager) ext.manager = { value: manager };
    else delete ext.manager;
  }
  return stored;
}
