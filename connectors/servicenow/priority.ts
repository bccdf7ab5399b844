/**
 * ServiceNow derives priority from impact × urgency; a priority is therefore set by choosing the pair
 * its default lookup maps to it (1/1 → 1 Critical, 1/2 → 2 High, 2/2 → 3 Moderate, 2/3 → 4 Low,
 * 3/3 → 5 Planning). The same pairs the tier-0 planner uses for "make it a P2".
 */
export const PRIORITY_LEVELS: Readonly<Record<1 | 2 | 3 | 4 | 5, { readonly impact: 1 | 2 | 3; readonly urgency: 1 | 2 | 3 }>> = {
  1: { impact: 1, urgency: 1 },
  2: { impact: 1, urgency: 2 },
  3: { impact: 2, urgency: 2 },
  4: { impact: 2, urgency: 3 },
  5: { impact: 3, urgency: 3 },
};

export function impactUrgencyFor(priority: 1 | 2 | 3 | 4 | 5): { impact: 1 | 2 | 3; urgency: 1 | 2 | 3 } {
  return PRIORITY_LEVELS[priority];
}
