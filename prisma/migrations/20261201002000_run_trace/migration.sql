-- The OpenTelemetry trace id of the request that created the run (when tracing is on), so an operator
-- can go from the run's timeline in /ops to its trace. Resumed attempts link to this trace.
ALTER TABLE "runs" ADD COLUMN "trace_id" TEXT;
