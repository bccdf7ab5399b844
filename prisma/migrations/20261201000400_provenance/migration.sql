-- Provenance of a thread's history: a run whose planner saw untrusted text (tool output, answers
-- restating it, other people's messages, stored facts) marks itself, so its answer is fenced as
-- untrusted data in later prompts of the same thread and taints what is planned from it.
ALTER TABLE "runs" ADD COLUMN "untrusted_context" BOOLEAN NOT NULL DEFAULT false;
