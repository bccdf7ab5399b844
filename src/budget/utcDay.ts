/** Daily budgets reset at midnight UTC: one day key and one reset time for every process. */
export function utcDayKey(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function utcDayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function nextUtcMidnight(now: Date): Date {
  return new Date(utcDayStart(now).getTime() + 86_400_000);
}

/** TTL for a day counter: until midnight plus an hour of slack for late settlements. */
export function ttlToMidnightMs(now: Date): number {
  return nextUtcMidnight(now).getTime() - now.getTime() + 3_600_000;
}
