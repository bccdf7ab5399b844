-- The approval lifecycle's durable timers: a reminder and an escalation are due at created_at plus
-- the tenant's delays; the scheduler claims each one once with a conditional UPDATE of these columns,
-- so a restart, a second process or a repeated sweep never sends it twice.
ALTER TABLE "approvals" ADD COLUMN "reminded_at" TIMESTAMPTZ(3);
ALTER TABLE "approvals" ADD COLUMN "escalated_at" TIMESTAMPTZ(3);
