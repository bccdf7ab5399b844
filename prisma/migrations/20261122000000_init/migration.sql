-- Initial schema: mirrors prisma/schema.prisma (Prisma naming for keys and indexes).
-- uuid columns get gen_random_uuid() and @updatedAt columns get now() so raw SQL inserts work too.

-- CreateTable
CREATE TABLE "tenants" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "roles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "manager_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_identities" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "address" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_installations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "team_id" TEXT,
    "enterprise_id" TEXT,
    "ciphertext" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_installations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "connector_accounts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "connector_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "external_user_id" TEXT,
    "ciphertext" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'active',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connector_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_states" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "connector_id" TEXT NOT NULL,
    "run_id" UUID,
    "ciphertext" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_states_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "address" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "conversation_id" UUID NOT NULL,
    "run_id" UUID,
    "role" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_facts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_facts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "conversation_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "input" TEXT NOT NULL,
    "reply" JSONB NOT NULL,
    "plan" JSONB,
    "plan_version" INTEGER NOT NULL DEFAULT 0,
    "iteration" INTEGER NOT NULL DEFAULT 0,
    "routing" JSONB,
    "caps" JSONB NOT NULL,
    "steps_used" INTEGER NOT NULL DEFAULT 0,
    "tokens_used" INTEGER NOT NULL DEFAULT 0,
    "cost_micros" BIGINT NOT NULL DEFAULT 0,
    "answer" TEXT,
    "error" JSONB,
    "event_seq" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "deadline_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_events" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "run_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "steps" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "run_id" UUID NOT NULL,
    "plan_version" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "args" JSONB NOT NULL,
    "depends_on" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" TEXT NOT NULL DEFAULT 'pending',
    "output" JSONB,
    "error" JSONB,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tool_calls" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "run_id" UUID NOT NULL,
    "step_id" UUID NOT NULL,
    "tool" TEXT NOT NULL,
    "connector_id" TEXT,
    "acting_user_id" UUID NOT NULL,
    "acting_identity" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "idempotent" BOOLEAN NOT NULL,
    "risk" TEXT NOT NULL,
    "args" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'started',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" JSONB,
    "duration_ms" INTEGER,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "tool_calls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approvals" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "run_id" UUID NOT NULL,
    "step_id" UUID NOT NULL,
    "tool" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "args" JSONB NOT NULL,
    "args_hash" TEXT NOT NULL,
    "risk" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "requester_id" UUID NOT NULL,
    "approver_ids" TEXT[],
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "comment" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_ledger" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "run_id" UUID,
    "kind" TEXT NOT NULL,
    "tier" TEXT,
    "model" TEXT,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "cached_input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_micros" BIGINT NOT NULL DEFAULT 0,
    "day" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "actor_user_id" UUID,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dead_letters" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" TEXT NOT NULL,
    "run_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "error" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "replayed_at" TIMESTAMPTZ(3),

    CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_tenant_id_email_key" ON "users"("tenant_id", "email");

-- CreateIndex
CREATE INDEX "users_tenant_id_manager_id_idx" ON "users"("tenant_id", "manager_id");

-- CreateIndex
CREATE UNIQUE INDEX "platform_identities_tenant_id_platform_team_id_external_id_key" ON "platform_identities"("tenant_id", "platform", "team_id", "external_id");

-- CreateIndex
CREATE INDEX "platform_identities_tenant_id_user_id_idx" ON "platform_identities"("tenant_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_installations_platform_team_id_enterprise_id_key" ON "channel_installations"("platform", "team_id", "enterprise_id");

-- CreateIndex
CREATE INDEX "channel_installations_tenant_id_idx" ON "channel_installations"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "connector_accounts_tenant_id_user_id_connector_id_key" ON "connector_accounts"("tenant_id", "user_id", "connector_id");

-- CreateIndex
CREATE INDEX "oauth_states_tenant_id_user_id_idx" ON "oauth_states"("tenant_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "conversations_tenant_id_channel_external_id_key" ON "conversations"("tenant_id", "channel", "external_id");

-- CreateIndex
CREATE INDEX "messages_tenant_id_conversation_id_created_at_idx" ON "messages"("tenant_id", "conversation_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "user_facts_tenant_id_user_id_key_key" ON "user_facts"("tenant_id", "user_id", "key");

-- CreateIndex
CREATE INDEX "runs_tenant_id_status_idx" ON "runs"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "runs_tenant_id_conversation_id_created_at_idx" ON "runs"("tenant_id", "conversation_id", "created_at");

-- CreateIndex
CREATE INDEX "runs_tenant_id_user_id_created_at_idx" ON "runs"("tenant_id", "user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "runs_tenant_id_channel_delivery_id_key" ON "runs"("tenant_id", "channel", "delivery_id");

-- CreateIndex
CREATE INDEX "run_events_tenant_id_run_id_idx" ON "run_events"("tenant_id", "run_id");

-- CreateIndex
CREATE UNIQUE INDEX "run_events_run_id_seq_key" ON "run_events"("run_id", "seq");

-- CreateIndex
CREATE INDEX "steps_tenant_id_run_id_idx" ON "steps"("tenant_id", "run_id");

-- CreateIndex
CREATE UNIQUE INDEX "steps_run_id_plan_version_key_key" ON "steps"("run_id", "plan_version", "key");

-- CreateIndex
CREATE INDEX "tool_calls_tenant_id_run_id_idx" ON "tool_calls"("tenant_id", "run_id");

-- CreateIndex
CREATE INDEX "tool_calls_tenant_id_status_idx" ON "tool_calls"("tenant_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "tool_calls_tenant_id_idempotency_key_key" ON "tool_calls"("tenant_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "approvals_tenant_id_status_idx" ON "approvals"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "approvals_tenant_id_run_id_idx" ON "approvals"("tenant_id", "run_id");

-- CreateIndex
CREATE UNIQUE INDEX "approvals_step_id_key" ON "approvals"("step_id");

-- CreateIndex
CREATE INDEX "usage_ledger_tenant_id_day_idx" ON "usage_ledger"("tenant_id", "day");

-- CreateIndex
CREATE INDEX "usage_ledger_tenant_id_user_id_day_idx" ON "usage_ledger"("tenant_id", "user_id", "day");

-- CreateIndex
CREATE INDEX "audit_log_tenant_id_created_at_idx" ON "audit_log"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "dead_letters_tenant_id_created_at_idx" ON "dead_letters"("tenant_id", "created_at");
