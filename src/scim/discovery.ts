import type { JsonObject } from '../core/json.js';
import { MAX_RESULTS, URN } from './protocol.js';

/** RFC 7643 §5: what this provider supports (no bulk, sort, etags or password changes). */
export function serviceProviderConfig(baseUrl: string): JsonObject {
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: 'https://github.com/switchboard/switchboard/blob/main/docs/scim.md',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'A per-tenant bearer token minted with `npm run -s scim-token`.', primary: true }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string): JsonObject[] {
  return [
    {
      schemas: [URN.resourceType], id: 'User', name: 'User', endpoint: '/Users', description: 'A person who may use Switchboard', schema: URN.user,
      schemaExtensions: [{ schema: URN.enterprise, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: [URN.resourceType], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'A directory group (mapped to roles and approver groups)', schema: URN.group,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
}

const str = (name: string, extra: JsonObject = {}): JsonObject => ({ name, type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra });
const complex = (name: string, subAttributes: JsonObject[], multiValued = false): JsonObject => ({ name, type: 'complex', multiValued, required: false, mutability: 'readWrite', returned: 'default', subAttributes });

export function schemas(baseUrl: string): JsonObject[] {
  const meta = (id: string): JsonObject => ({ resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` });
  return [
    {
      schemas: [URN.schema], id: URN.user, name: 'User', description: 'User Account',
      attributes: [
        str('userName', { required: true, uniqueness: 'server' }),
        str('externalId', { caseExact: true }),
        complex('name', [str('formatted'), str('familyName'), str('givenName'), str('middleName')]),
        str('displayName'), str('nickName'), str('title'), str('userType'), str('preferredLanguage'), str('locale'), str('timezone'),
        { name: 'active', type: 'boolean', multiValued: false, required: false, mutability: 'readWrite', returned: 'default' },
        complex('emails', [str('value'), str('type'), { name: 'primary', type: 'boolean', multiValued: false, required: false, mutability: 'readWrite', returned: 'default' }], true),
        complex('phoneNumbers', [str('value'), str('type')], true),
        { ...complex('groups', [str('value', { mutability: 'readOnly' }), str('display', { mutability: 'readOnly' }), { name: '$ref', type: 'reference', referenceTypes: ['Group'], multiValued: false, required: false, mutability: 'readOnly', returned: 'default' }], true), mutability: 'readOnly' },
      ],
      meta: meta(URN.user),
    },
    {
      schemas: [URN.schema], id: URN.group, name: 'Group', description: 'Group',
      attributes: [
        str('displayName', { required: true, uniqueness: 'server' }),
        str('externalId', { caseExact: true }),
        complex('members', [str('value', { mutability: 'immutable' }), str('display', { mutability: 'readOnly' }), { name: '$ref', type: 'reference', referenceTypes: ['User'], multiValued: false, required: false, mutability: 'immutable', returned: 'default' }], true),
      ],
      meta: meta(URN.group),
    },
    {
      schemas: [URN.schema], id: URN.enterprise, name: 'EnterpriseUser', description: 'Enterprise User',
      attributes: [
        str('employeeNumber'), str('costCenter'), str('organization'), str('division'), str('department'),
        complex('manager', [str('value'), { name: '$ref', type: 'reference', referenceTypes: ['User'], multiValued: false, required: false, mutability: 'readWrite', returned: 'default' }, str('displayName', { mutability: 'readOnly' })]),
      ],
      meta: meta(URN.enterprise),
    },
  ];
}
