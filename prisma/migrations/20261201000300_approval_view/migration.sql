-- The approval card's content (every argument and the acting account), built once when the
-- approval is created so every surface, including the web inbox read later, shows the same thing.
ALTER TABLE "approvals" ADD COLUMN "view" JSONB;
