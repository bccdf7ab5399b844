/** `Sforce-Limit-Info`, sent on every REST response: `api-usage=18/5000` (+ optional `api-bursts=1/750`). */
export interface LimitInfo {
  readonly used: number;
  readonly max: number;
}

export function parseLimitInfo(header: string | null): LimitInfo | undefined {
  const match = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
  if (!match) return undefined;
  return { used: Number(match[1]), max: Number(match[2]) };
}

/** The daily allowance is spent: waiting seconds will not help, so the error surfaces instead of retrying. */
export function dailyLimitReached(info: LimitInfo | undefined): boolean {
  return info !== undefined && info.max > 0 && info.used >= info.max;
}
