import { ScimError } from './protocol.js';

export interface EqFilter {
  /** Attribute path, lower-cased (`username`, `externalid`, `emails.value`, `displayname`). */
  readonly attribute: string;
  readonly value: string | boolean | null;
}

const EQ = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false|null)\s*$/i;

/**
 * The filters IdPs send to find a resource before creating it (`userName eq "…"`, `externalId eq "…"`,
 * `displayName eq "…"`): one attribute compared with `eq`. Anything else is refused with
 * invalidFilter rather than silently answered with everything.
 */
export function parseEqFilter(filter: string, allowed: readonly string[]): EqFilter {
  const match = EQ.exec(filter);
  if (!match) throw new ScimError(400, `Only "<attribute> eq <value>" filters are supported, not: ${filter.slice(0, 200)}`, 'invalidFilter');
  const attribute = stripCoreUrn(match[1]!.toLowerCase());
  if (!allowed.includes(attribute)) throw new ScimError(400, `Filtering on "${match[1]}" is not supported (supported: ${allowed.join(', ')}).`, 'invalidFilter');
  const raw = match[2]!;
  let value: string | boolean | null;
  if (raw.startsWith('"')) {
    try {
      value = JSON.parse(raw) as string;
    } catch {
      throw new ScimError(400, 'The filter value is not a valid string.', 'invalidFilter');
    }
  } else value = raw.toLowerCase() === 'null' ? null : raw.toLowerCase() === 'true';
  return { attribute, value };
}

function stripCoreUrn(attribute: string): string {
  for (const urn of ['urn:ietf:params:scim:schemas:core:2.0:user:', 'urn:ietf:params:scim:schemas:core:2.0:group:']) {
    if (attribute.startsWith(urn)) return attribute.slice(urn.length);
  }
  return attribute;
}
