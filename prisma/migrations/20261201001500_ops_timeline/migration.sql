-- The operations view pages runs newest first by (created_at, id) and charts them per day: with
-- 100,000 runs a tenant's page and its day range must come from an index, not a scan.
CREATE INDEX "runs_tenant_id_created_at_id_idx" ON "runs"("tenant_id", "created_at", "id");
-- Failed tool calls per connector and day (the usage charts).
CREATE INDEX "tool_calls_tenant_id_started_at_idx" ON "tool_calls"("tenant_id", "started_at");
