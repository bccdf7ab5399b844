export { createPlanner, type CreatePlannerOptions, type SharedModelDeps } from './createPlanner.js';
export { TieredPlanner } from './tieredPlanner.js';
export { routeRequest, type RouteDecision } from './router.js';
export { selectTools, rankTools } from './toolSelection.js';
export { redactText, redactValue, maskEmail } from './guardrails/redact.js';
export type * from './planner.js';
