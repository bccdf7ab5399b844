import { fieldDef, OPPORTUNITY_STAGES, type ObjectDef, type FieldValue } from './model.js';
import type { SalesforceSandboxState, SfRow } from './state.js';

/** A write Salesforce would refuse: status, errorCode, message and the offending fields. */
export interface WriteRejection {
  readonly status: number;
  readonly errorCode: string;
  readonly message: string;
  readonly fields?: readonly string[];
}

/**
 * Validates a create/update body the way the platform does before saving: known fields only, no Id,
 * only writable fields, restricted picklists, typed values, visible lookups, required fields on create.
 */
export function validateWrite(
  state: SalesforceSandboxState,
  object: ObjectDef,
  body: unknown,
  userId: string,
  mode: 'create' | 'update',
): { values: SfRow } | { rejection: WriteRejection } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { rejection: { status: 400, errorCode: 'JSON_PARSER_ERROR', message: 'The request body must be a JSON object.' } };
  }
  const values: SfRow = {};
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (name === 'attributes') continue;
    if (name.toLowerCase() === 'id') return reject(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.');
    const def = fieldDef(object, name);
    if (!def) return reject(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${object.name}`);
    const writable = mode === 'create' ? def.createable : def.updateable;
    if (!writable) return reject(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${def.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, [def.name]);
    if (raw !== null && typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      return reject(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${def.type} from ${Array.isArray(raw) ? 'START_ARRAY' : 'START_OBJECT'} value for field ${def.name}`);
    }
    const value = raw as FieldValue;
    const numeric = def.type === 'currency' || def.type === 'percent';
    if (value !== null && numeric && typeof value !== 'number') return reject(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of double from VALUE_STRING value ${String(value)}`);
    if (value !== null && !numeric && def.type !== 'boolean' && typeof value !== 'string') return reject(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of string from ${typeof value} value for field ${def.name}`);
    if (def.type === 'date' && typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return reject(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of date from VALUE_STRING value ${value}`);
    if (def.picklist && value !== null && !def.picklist.includes(String(value))) {
      return reject(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${def.label}: bad value for restricted picklist field: ${String(value)}`, [def.name]);
    }
    if (def.type === 'string' && typeof value === 'string' && value.length > 255) return reject(400, 'STRING_TOO_LONG', `${def.label}: data value too large: ${value.slice(0, 20)}... (max length=255)`, [def.name]);
    if (def.referenceTo && typeof value === 'string' && def.name !== 'OwnerId') {
      const target = state.find(def.referenceTo, value);
      if (!target) return reject(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [def.name]);
      if (!state.canSee(userId, def.referenceTo, target)) return reject(400, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', `insufficient access rights on cross-reference id: ${value}`, [def.name]);
      values[def.name] = String(target['Id']);
      continue;
    }
    if (def.name === 'OwnerId' && typeof value === 'string' && !state.userById(value)) return reject(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [def.name]);
    values[def.name] = value;
  }
  if (mode === 'create') {
    const required = object.name === 'Opportunity' ? ['Name', 'StageName', 'CloseDate'] : object.name === 'Account' ? ['Name']
      : object.name === 'Contact' ? ['LastName'] : object.name === 'CaseComment' ? ['ParentId'] : [];
    const missing = required.filter((name) => values[name] === undefined || values[name] === null || values[name] === '');
    if (missing.length > 0) return reject(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  }
  derive(object, values, mode);
  return { values };
}

/** Formula-like fields the platform maintains: stage drives probability and closed/won, status drives IsClosed. */
function derive(object: ObjectDef, values: SfRow, mode: 'create' | 'update'): void {
  if (object.name === 'Opportunity' && typeof values['StageName'] === 'string') {
    const stage = OPPORTUNITY_STAGES.find((s) => s.value === values['StageName']);
    if (stage) {
      if (values['Probability'] === undefined) values['Probability'] = stage.probability;
      values['IsClosed'] = stage.closed;
      values['IsWon'] = stage.won;
    }
  }
  if (object.name === 'CaseComment' && mode === 'create') values['IsPublished'] ??= false;
  if (object.name === 'Case') {
    if (mode === 'create') {
      values['Status'] ??= 'New';
      values['Priority'] ??= 'Medium';
      values['Origin'] ??= null;
      values['AccountId'] ??= null;
      values['Switchboard_Key__c'] ??= null;
    }
    if (typeof values['Status'] === 'string') values['IsClosed'] = values['Status'] === 'Closed';
  }
}

function reject(status: number, errorCode: string, message: string, fields?: readonly string[]): { rejection: WriteRejection } {
  return { rejection: { status, errorCode, message, ...(fields ? { fields } : {}) } };
}
