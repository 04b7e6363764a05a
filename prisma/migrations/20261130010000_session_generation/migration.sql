-- Console sessions carry the user's session generation; bumping it (password change, sign-out,
-- role change, disabling) ends every session issued before.
ALTER TABLE "app_user" ADD COLUMN "session_generation" INTEGER NOT NULL DEFAULT 0;

-- Who disabled a key, by rank: a key disabled by someone above its user stays disabled for that user.
ALTER TABLE "api_key" ADD COLUMN "disabled_by_role" TEXT;
