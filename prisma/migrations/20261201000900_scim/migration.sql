-- Issue 16: people provisioned by the company's directory over SCIM 2.0. A user row says where it
-- comes from: the tenants file ('file', deactivated when it leaves the file) or SCIM ('scim', owned
-- by the IdP: only SCIM deactivates it). Groups and memberships are the IdP's; roles and approver
-- groups are derived from them through the tenant's group mapping and stored on the user, so the
-- request path reads one indexed row.
ALTER TABLE "users" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'file';
ALTER TABLE "users" ADD COLUMN "scim_user_name" TEXT;
ALTER TABLE "users" ADD COLUMN "external_id" TEXT;
ALTER TABLE "users" ADD COLUMN "scim" JSONB;
ALTER TABLE "users" ADD COLUMN "scim_deleted_at" TIMESTAMPTZ(3);
ALTER TABLE "users" ADD COLUMN "approver_groups" TEXT[] DEFAULT ARRAY[]::TEXT[];
CREATE UNIQUE INDEX "users_tenant_id_scim_user_name_key" ON "users"("tenant_id", "scim_user_name");
CREATE INDEX "users_tenant_id_external_id_idx" ON "users"("tenant_id", "external_id");
CREATE INDEX "users_approver_groups_idx" ON "users" USING GIN ("approver_groups");

CREATE TABLE "scim_groups" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "external_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "scim_groups_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "scim_groups_tenant_id_display_name_idx" ON "scim_groups"("tenant_id", "display_name");
CREATE INDEX "scim_groups_tenant_id_external_id_idx" ON "scim_groups"("tenant_id", "external_id");

CREATE TABLE "scim_group_members" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "group_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    CONSTRAINT "scim_group_members_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "scim_group_members_group_id_user_id_key" ON "scim_group_members"("group_id", "user_id");
CREATE INDEX "scim_group_members_tenant_id_user_id_idx" ON "scim_group_members"("tenant_id", "user_id");
ALTER TABLE "scim_group_members" ADD CONSTRAINT "scim_group_members_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "scim_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
