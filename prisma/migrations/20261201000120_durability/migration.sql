-- Active time already spent by a run before it waited (the wall-time cap counts planning and
-- executing only), and the fencing token of the worker currently driving it.
ALTER TABLE "runs" ADD COLUMN "active_ms" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "runs" ADD COLUMN "fence" INTEGER NOT NULL DEFAULT 0;
-- The fencing token of the worker that started (or last claimed) the tool call.
ALTER TABLE "tool_calls" ADD COLUMN "fence" INTEGER NOT NULL DEFAULT 0;
