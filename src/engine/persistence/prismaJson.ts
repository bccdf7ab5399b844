import { Prisma } from '../../generated/prisma/client.js';
import type { JsonValue } from '../../core/json.js';

/** Prisma wants its own JSON input type; null must be spelled JsonNull for a JSON column. */
export function toDbJson(value: JsonValue | undefined): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  if (value === null || value === undefined) return Prisma.JsonNull;
  return value as Prisma.InputJsonValue;
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
