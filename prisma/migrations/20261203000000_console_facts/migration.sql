-- Facts recorded in the console (RULES.md 7), certificate files, acknowledgements (RULES.md 6)
-- and the audit log (issue 14). The natural keys of the fact tables are unchanged: a console
-- fact and a roster fact with the same key are one row, whose `source` says which wrote it
-- last. Defaults keep a writer that names none of the new columns (the roster import) as it
-- was: its rows are ROSTER facts.
CREATE TYPE "FactSource" AS ENUM ('ROSTER', 'CONSOLE');

-- A certificate copy (V.E: the chief holds it; the console is where it is held), stored once
-- per content: the same file uploaded twice is one row.
CREATE TABLE "certificate" (
    "sha256" BYTEA NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "certificate_pkey" PRIMARY KEY ("sha256"),
    CONSTRAINT "certificate_sha256_length" CHECK (octet_length("sha256") = 32),
    CONSTRAINT "certificate_content_type" CHECK ("content_type" IN ('application/pdf', 'image/png', 'image/jpeg')),
    CONSTRAINT "certificate_size" CHECK ("size" = octet_length("bytes") AND "size" <= 10485760)
);
-- The bytes are already compressed (PDF streams, PNG, JPEG): stored as they are, out of line.
ALTER TABLE "certificate" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;

ALTER TABLE "training"
    ADD COLUMN "source" "FactSource" NOT NULL DEFAULT 'ROSTER',
    ADD COLUMN "recorded_by" TEXT,
    ADD COLUMN "recorded_at" TIMESTAMPTZ(3),
    ADD COLUMN "certificate_sha256" BYTEA;
ALTER TABLE "training" ADD CONSTRAINT "training_certificate_sha256_fkey"
    FOREIGN KEY ("certificate_sha256") REFERENCES "certificate"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "training_certificate_sha256_idx" ON "training"("certificate_sha256");

ALTER TABLE "policy_review"
    ADD COLUMN "source" "FactSource" NOT NULL DEFAULT 'ROSTER',
    ADD COLUMN "recorded_by" TEXT,
    ADD COLUMN "recorded_at" TIMESTAMPTZ(3);

ALTER TABLE "contact_day"
    ADD COLUMN "source" "FactSource" NOT NULL DEFAULT 'ROSTER',
    ADD COLUMN "recorded_by" TEXT,
    ADD COLUMN "recorded_at" TIMESTAMPTZ(3);

-- RULES.md 7: "A certificate file attached to the officer's most recent qualifying training
-- makes certificateOnFile true for it". Kept here, in one place, so that every writer (the
-- console, and an import that updates a console training and so adopts it) keeps it true.
CREATE FUNCTION "training_certificate_on_file"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."certificate_sha256" IS NOT NULL THEN
    NEW."certificate_on_file" := true;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "training_certificate_on_file" BEFORE INSERT OR UPDATE ON "training"
  FOR EACH ROW EXECUTE FUNCTION "training_certificate_on_file"();

-- RULES.md 6: an acknowledgement of a missed deadline (officer, due date). Never edited; the
-- latest one for a deadline is what later e-mails, digests and the console show.
CREATE TABLE "acknowledgement" (
    "id" BIGSERIAL NOT NULL,
    "license" TEXT NOT NULL,
    "due_date" DATE NOT NULL,
    "note" TEXT,
    "planned_completion_on" DATE,
    "acknowledged_by" TEXT NOT NULL,
    -- The name the roster gave the address when it acknowledged ("Chief Morgan Ellis"); null: none on file.
    "acknowledged_by_name" TEXT,
    -- The civil day (TZ) of acknowledged_at, as the e-mails print it.
    "acknowledged_on" DATE NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "acknowledgement_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "acknowledgement_note_length" CHECK (char_length("note") <= 500)
);
CREATE INDEX "acknowledgement_license_due_date_idx" ON "acknowledgement"("license", "due_date", "acknowledged_at");
ALTER TABLE "acknowledgement" ADD CONSTRAINT "acknowledgement_license_fkey"
    FOREIGN KEY ("license") REFERENCES "officer"("license") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit log: every change made in the console and every import (who, when, from where,
-- what, before and after). Append-only: the triggers below refuse UPDATE, DELETE and
-- TRUNCATE from any code path or person (a superuser can still drop the triggers; that is
-- itself a DDL change a database audit would show). No foreign key: the log outlives the
-- officers it names.
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "client_address" TEXT,
    "user_agent" TEXT,
    "action" TEXT NOT NULL,
    "license" TEXT,
    "before" JSONB,
    "after" JSONB,
    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at", "id");
CREATE INDEX "audit_event_license_idx" ON "audit_event"("license");

CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "audit_event_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
