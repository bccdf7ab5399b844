import type { Prisma } from '../../generated/prisma/client.js';

/** Plain data (validated config, addresses) into Prisma's JSON input type without an unchecked cast at call sites. */
export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
