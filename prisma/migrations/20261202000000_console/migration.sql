-- The console's sign-in (INTERFACE.md "Console"): one-time sign-in links and codes, and
-- sessions. Only keyed hashes (HMAC-SHA256 under SECRET_KEY) of tokens, codes and session
-- ids are stored: a copy of the database signs nobody in.
CREATE TABLE "login_token" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "token_hash" BYTEA NOT NULL,
    "code_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    -- Set when the token or its code signs in, or when too many wrong codes spent it.
    "used_at" TIMESTAMPTZ(3),
    "wrong_codes" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "login_token_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "login_token_token_hash_key" ON "login_token"("token_hash");
-- The per-address limit counts an address's recent tokens; a code is looked up by address.
CREATE INDEX "login_token_email_created_at_idx" ON "login_token"("email", "created_at");

CREATE TABLE "web_session" (
    "id_hash" BYTEA NOT NULL,
    "email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "client_address" TEXT,
    "user_agent" TEXT,
    CONSTRAINT "web_session_pkey" PRIMARY KEY ("id_hash")
);
CREATE INDEX "web_session_expires_at_idx" ON "web_session"("expires_at");

-- Who an address is, read on every request (scopes follow the roster at once): the roster's
-- addresses compared case-insensitively.
CREATE INDEX "agency_chief_email_lower_idx" ON "agency"(lower("chief_email"));
CREATE INDEX "district_contact_email_lower_idx" ON "district_contact"(lower("email"));
CREATE INDEX "officer_email_lower_idx" ON "officer"(lower("email"));
