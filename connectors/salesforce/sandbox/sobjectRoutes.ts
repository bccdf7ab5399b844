import { API_PREFIX } from '../constants.js';
import type { SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import { authed } from './auth.js';
import { limitHeaders, notFound, ok, serverError, sfError, type SandboxContext } from './context.js';
import { fieldDef, objectDef, type ObjectDef } from './model.js';
import { attributes, project, resolve, SoqlError } from './soqlEngine.js';
import type { SfRow } from './state.js';
import { validateWrite, type WriteRejection } from './writeRules.js';

/**
 * `/sobjects/{object}` resources: describe, retrieve (404 when sharing hides the row), create (201
 * `{id,success,errors}`), update (204, no body), upsert by external id (201 created / 200 updated /
 * 300 ambiguous). Writes to rows the user does not own are INSUFFICIENT_ACCESS_OR_READONLY.
 */
export function registerSObjectRoutes(server: SandboxServer, ctx: SandboxContext, random: () => number): void {
  const { state } = ctx;
  const base = `${API_PREFIX}/sobjects`;
  const rejected = (r: WriteRejection): SandboxResponse => sfError(state, r.status, r.errorCode, r.message, r.fields);
  const noWrite = (): SandboxResponse => sfError(state, 403, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
  const writable = (object: ObjectDef): boolean => object.name !== 'User';
  /** The write is committed; the fault only loses the answer, as a dropped connection would. */
  const answer = (response: SandboxResponse): SandboxResponse => {
    if (ctx.writeFaults.dropWriteResponses <= 0) return response;
    ctx.writeFaults.dropWriteResponses -= 1;
    return serverError(state, random);
  };

  server.route('GET', `${base}/:object/describe`, authed(ctx, (req) => {
    const object = objectDef(req.params['object'] ?? '');
    if (!object) return notFound(state);
    return ok(state, 200, {
      name: object.name, label: object.label, labelPlural: object.labelPlural, keyPrefix: object.keyPrefix,
      createable: writable(object), updateable: writable(object), queryable: true, custom: false,
      fields: object.fields.map((f) => ({
        name: f.name, label: f.label, type: f.type, custom: f.name.endsWith('__c'), externalId: f.externalId ?? false,
        createable: f.createable ?? false, updateable: f.updateable ?? false, nillable: !['Id', 'Name'].includes(f.name),
        referenceTo: f.referenceTo ? [f.referenceTo] : [], relationshipName: f.relationshipName ?? null,
        picklistValues: (f.picklist ?? []).map((value, i) => ({ active: true, defaultValue: object.name === 'Case' && f.name === 'Status' ? i === 0 : false, label: value, validFor: null, value })),
      })),
      urls: { sobject: `${base}/${object.name}`, describe: `${base}/${object.name}/describe`, rowTemplate: `${base}/${object.name}/{ID}` },
    });
  }));

  server.route('GET', `${base}/:object/:id`, authed(ctx, (req, user) => {
    const object = objectDef(req.params['object'] ?? '');
    const row = object ? state.find(object.name, req.params['id'] ?? '') : undefined;
    if (!object || !row || !state.canSee(user.id, object.name, row)) return notFound(state);
    const requested = req.query.get('fields');
    try {
      const names = requested ? requested.split(',').map((f) => f.trim()).filter(Boolean) : object.fields.map((f) => f.name);
      return ok(state, 200, project(state, object.name, row, names.map((n) => resolve(object, n))));
    } catch (error) {
      if (error instanceof SoqlError) return sfError(state, 400, 'INVALID_FIELD', error.message);
      throw error;
    }
  }));

  server.route('POST', `${base}/:object`, authed(ctx, (req, user) => {
    const object = objectDef(req.params['object'] ?? '');
    if (!object) return notFound(state);
    if (!writable(object)) return sfError(state, 400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${object.name} does not support insert`);
    const checked = validateWrite(state, object, req.body, user.id, 'create');
    if ('rejection' in checked) return rejected(checked.rejection);
    const row = state.insert(object.name, checked.values, user.id);
    return answer(ok(state, 201, { id: row['Id'], success: true, errors: [] }, { location: attributes(object.name, String(row['Id'])).url }));
  }));

  server.route('PATCH', `${base}/:object/:id`, authed(ctx, (req, user) => {
    const object = objectDef(req.params['object'] ?? '');
    const row = object ? state.find(object.name, req.params['id'] ?? '') : undefined;
    if (!object || !row) return notFound(state);
    if (!writable(object) || !state.canSee(user.id, object.name, row)) return noWrite();
    const checked = validateWrite(state, object, req.body, user.id, 'update');
    if ('rejection' in checked) return rejected(checked.rejection);
    state.update(object.name, row, checked.values, user.id);
    return answer({ status: 204, headers: limitHeaders(state), text: '' });
  }));

  server.route('PATCH', `${base}/:object/:field/:value`, authed(ctx, (req, user) => {
    const object = objectDef(req.params['object'] ?? '');
    if (!object) return notFound(state);
    const key = fieldDef(object, req.params['field'] ?? '');
    if (!key?.externalId) return sfError(state, 404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${req.params['field'] ?? ''}`);
    const value = req.params['value'] ?? '';
    // External id matching is case-sensitive for this field, as it is marked Unique (case sensitive).
    const matches = state.rows(object.name).filter((row) => row[key.name] === value);
    if (matches.length > 1) return ok(state, 300, matches.map((row) => attributes(object.name, String(row['Id'])).url));
    const existing = matches[0];
    if (existing) {
      if (!state.canSee(user.id, object.name, existing)) return noWrite();
      const checked = validateWrite(state, object, req.body, user.id, 'update');
      if ('rejection' in checked) return rejected(checked.rejection);
      state.update(object.name, existing, checked.values, user.id);
      return answer(ok(state, 200, { id: existing['Id'], success: true, errors: [], created: false }));
    }
    if (req.query.get('updateOnly') === 'true') return notFound(state);
    const checked = validateWrite(state, object, req.body, user.id, 'create');
    if ('rejection' in checked) return rejected(checked.rejection);
    const row = state.insert(object.name, { ...checked.values, [key.name]: value } satisfies SfRow, user.id);
    return answer(ok(state, 201, { id: row['Id'], success: true, errors: [], created: true }, { location: attributes(object.name, String(row['Id'])).url }));
  }));
}
