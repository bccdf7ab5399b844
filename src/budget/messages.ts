import { BudgetExceededError, type BudgetCap, type BudgetScope } from '../core/errors.js';
import { nextUtcMidnight } from './utcDay.js';

function amount(cap: BudgetCap, limit: number): string {
  switch (cap) {
    case 'steps':
      return `${limit} ${limit === 1 ? 'action' : 'actions'}`;
    case 'tokens':
      return `${limit.toLocaleString('en-US')} tokens of AI processing`;
    case 'usd':
      return `$${(limit / 1_000_000).toFixed(limit % 10_000 === 0 ? 2 : 4)} of AI spend`;
    case 'wall_time':
      return `${limit < 10_000 ? (limit / 1000).toFixed(1) : Math.round(limit / 1000)} seconds`;
  }
}

function untilReset(now: Date, resetsAt: Date): string {
  const minutes = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
}

/** Says which cap, how much, and (for daily caps) when it resets, in words for the employee. */
export function budgetExceeded(cap: BudgetCap, scope: BudgetScope, limit: number, now: Date = new Date()): BudgetExceededError {
  if (scope === 'request') {
    const text =
      cap === 'wall_time'
        ? `I stopped because this request took longer than the ${amount(cap, limit)} allowed for one request. Try asking for less at once.`
        : `I stopped because this request reached its limit of ${amount(cap, limit)}. Try splitting it into smaller requests.`;
    return new BudgetExceededError(cap, scope, text);
  }
  const resetsAt = nextUtcMidnight(now);
  const who = scope === 'user_day' ? 'You have' : 'Your organisation has';
  const text = `${who} reached the daily limit of ${amount(cap, limit)}. It resets at 00:00 UTC (in ${untilReset(now, resetsAt)}).`;
  return new BudgetExceededError(cap, scope, text, resetsAt);
}
