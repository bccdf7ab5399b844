-- A person removed from the tenants file is deactivated, not deleted: their runs, approvals and
-- audit entries keep pointing at them, but they can no longer act, approve or sign in.
ALTER TABLE "users" ADD COLUMN "deactivated_at" TIMESTAMPTZ(3);
