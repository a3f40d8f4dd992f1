-- Accepted is not delivered (RULES.md 12). Each ledger row gets a number its bounce address
-- names (b-<number>-<signature>@BOUNCE_DOMAIN), and what came back about it: a hard bounce
-- makes it BOUNCED with the status code, the diagnostic and when; a soft bounce or a delay
-- is a note on the row; a complaint is recorded on it. A row sent on behalf of a bounced
-- one (the step owed to the next people) names the row it stands in for.
ALTER TYPE "AlertStatus" ADD VALUE 'BOUNCED';

ALTER TABLE "alert_ledger"
    ADD COLUMN "id" BIGSERIAL,
    ADD COLUMN "bounce_status" TEXT,
    ADD COLUMN "bounce_diagnostic" TEXT,
    ADD COLUMN "bounced_at" TIMESTAMPTZ(3),
    ADD COLUMN "delivery_note" TEXT,
    ADD COLUMN "delivery_noted_at" TIMESTAMPTZ(3),
    ADD COLUMN "complaint_at" TIMESTAMPTZ(3),
    ADD COLUMN "complaint_note" TEXT,
    ADD COLUMN "stands_in_for" TEXT;
CREATE UNIQUE INDEX "alert_ledger_id_key" ON "alert_ledger"("id");
CREATE INDEX "alert_ledger_stands_in_for_idx" ON "alert_ledger"("stands_in_for") WHERE "stands_in_for" IS NOT NULL;

-- An address that bounced, in the role it bounced in (the chief of an agency, a PRIMARY
-- contact of a district), until the directory changes it: while it is here, every alert for
-- that role also goes to the next people. `email` is lower-cased.
CREATE TABLE "undeliverable_address" (
    "scope" TEXT NOT NULL,
    "scope_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "marked_on" DATE NOT NULL,
    "marked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "status" TEXT,
    "diagnostic" TEXT,
    "ledger_key" TEXT NOT NULL,
    CONSTRAINT "undeliverable_address_pkey" PRIMARY KEY ("scope", "scope_id", "email"),
    CONSTRAINT "undeliverable_address_scope" CHECK ("scope" IN ('AGENCY', 'DISTRICT'))
);

-- A mark is read with the directory, so it bumps the directory's version like a change to it.
CREATE TRIGGER "undeliverable_address_directory_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "undeliverable_address"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_directory_version"();

-- "Until the directory changes it": when a chief's e-mail or a district's PRIMARY contacts
-- change (the console or an import), the marks of addresses no longer in that role go. Checked
-- at commit, so an import that deletes a district's contacts and writes the same ones back
-- keeps the mark.
CREATE FUNCTION "clear_agency_undeliverable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "undeliverable_address" u
   WHERE u."scope" = 'AGENCY' AND u."scope_id" = OLD."id"
     AND NOT EXISTS (SELECT 1 FROM "agency" a WHERE a."id" = u."scope_id" AND lower(a."chief_email") = u."email");
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER "agency_clears_undeliverable" AFTER UPDATE OR DELETE ON "agency"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "clear_agency_undeliverable"();

CREATE FUNCTION "clear_district_undeliverable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "undeliverable_address" u
   WHERE u."scope" = 'DISTRICT' AND u."scope_id" = OLD."district_id"
     AND NOT EXISTS (SELECT 1 FROM "district_contact" c
                      WHERE c."district_id" = u."scope_id" AND lower(c."email") = u."email" AND c."role" = 'PRIMARY');
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER "district_contact_clears_undeliverable" AFTER UPDATE OR DELETE ON "district_contact"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "clear_district_undeliverable"();

-- What came back and was refused or ignored (RULES.md 12: counted), by kind, for
-- sro_bounces_total: the receiver and the console's webhook both count here.
CREATE TABLE "bounce_tally" (
    "kind" TEXT NOT NULL,
    "n" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "bounce_tally_pkey" PRIMARY KEY ("kind")
);
