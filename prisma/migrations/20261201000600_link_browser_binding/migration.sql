-- A link is bound to the browser that opened it: the hash of a random verifier held only in that
-- browser's HttpOnly cookie, set when the employee opens the link from the chat.
ALTER TABLE "oauth_states" ADD COLUMN "browser_hash" TEXT;
ALTER TABLE "oauth_states" ADD COLUMN "opened_at" TIMESTAMPTZ(3);
