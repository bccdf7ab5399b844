-- Out of office: an approver names a delegate for a period; requests made during it go to the delegate.
CREATE TABLE "approval_delegations" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "approver_id" UUID NOT NULL,
    "delegate_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_delegations_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "approval_delegations_tenant_id_approver_id_ends_at_idx" ON "approval_delegations"("tenant_id", "approver_id", "ends_at");
