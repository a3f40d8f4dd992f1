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

-- Escalation addresses are an array: a GIN index over their lower-cased copies.
CREATE FUNCTION "sro_lower_array"(text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT coalesce(array_agg(lower(x)), '{}') FROM unnest($1) x $$;
CREATE INDEX "agency_escalation_emails_lower_idx" ON "agency" USING gin ("sro_lower_array"("escalation_emails"));

-- A counter bumped by every statement that writes the roster: what the console's caches of
-- evaluated officers are keyed on (an officer evaluated on another version is never shown).
CREATE TABLE "roster_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "roster_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "roster_version_single_row" CHECK ("id" = 1)
);
INSERT INTO "roster_version" ("id") VALUES (1);

CREATE FUNCTION "bump_roster_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "roster_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER "agency_roster_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "agency"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "district_roster_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "district"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "district_contact_roster_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "district_contact"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "officer_roster_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "officer"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "assignment_roster_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "assignment"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "training_roster_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "training"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "policy_review_roster_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "policy_review"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "contact_day_roster_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "contact_day"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();

-- The alert ledger's change counter: a sequence, bumped by every statement that writes the
-- ledger (non-transactional, so the send path's many small writes never wait on one row).
-- The console keys its short cache of "last alert sent" on it.
CREATE SEQUENCE "ledger_change_seq";
CREATE FUNCTION "bump_ledger_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('ledger_change_seq');
  RETURN NULL;
END
$$;
CREATE TRIGGER "alert_ledger_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "alert_ledger"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_ledger_change"();

-- Every officer's status as of one day (the console's admin view of a large roster, which
-- must not evaluate every officer per request): rebuilt by `sro web` whenever the roster
-- version or the day moves on. `report` is the officer object of `report --json` without
-- its lastAlert; the other columns are its urgency order (domain/report.ts byUrgency) and filters.
CREATE TABLE "officer_status" (
    "license" TEXT NOT NULL,
    "agency_id" TEXT NOT NULL,
    "district_ids" TEXT[] NOT NULL,
    "status" TEXT NOT NULL,
    "rank" SMALLINT NOT NULL,
    "days_remaining" INTEGER,
    "contact_days" INTEGER NOT NULL,
    "issue_count" SMALLINT NOT NULL,
    "search" TEXT NOT NULL,
    "report" JSONB NOT NULL,
    CONSTRAINT "officer_status_pkey" PRIMARY KEY ("license")
);
CREATE INDEX "officer_status_urgency_idx" ON "officer_status"
  ("rank", "days_remaining", "contact_days" DESC, "issue_count" DESC, "license" COLLATE "C");
CREATE INDEX "officer_status_agency_idx" ON "officer_status"("agency_id");
CREATE INDEX "officer_status_district_ids_idx" ON "officer_status" USING gin ("district_ids");

CREATE TABLE "status_snapshot" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "as_of" DATE,
    "roster_version" BIGINT,
    "refreshed_at" TIMESTAMPTZ(3),
    "counts" JSONB,
    CONSTRAINT "status_snapshot_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "status_snapshot_single_row" CHECK ("id" = 1)
);
INSERT INTO "status_snapshot" ("id") VALUES (1);
