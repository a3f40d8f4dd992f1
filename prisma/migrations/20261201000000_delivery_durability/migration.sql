-- Delivery that survives a long relay outage (RULES.md 5 "A relay that is down delays,
-- never drops"): the ledger, not BullMQ's attempt counter, holds when a row was first
-- tried and when it is due again, so retries continue across worker restarts and Redis loss.
ALTER TABLE "alert_ledger" ADD COLUMN "first_attempt_at" TIMESTAMPTZ(3);
ALTER TABLE "alert_ledger" ADD COLUMN "next_attempt_at" TIMESTAMPTZ(3);
-- Which run (a scan or digest job; `sro scan` waits for and counts its own) a row belongs to:
-- the run that inserted it, the run that last re-enqueued it (a row an earlier run left
-- PENDING), and the run whose send job claimed it (that run's summary counts the outcome).
ALTER TABLE "alert_ledger" ADD COLUMN "run_id" TEXT;
ALTER TABLE "alert_ledger" ADD COLUMN "requeued_by" TEXT;
ALTER TABLE "alert_ledger" ADD COLUMN "claimed_for_run" TEXT;

-- The worker's sweep: PENDING rows whose retry is due, whatever Redis remembers.
CREATE INDEX "alert_ledger_pending_next_attempt_idx" ON "alert_ledger"("next_attempt_at") WHERE "status" = 'PENDING';
-- A run's pending rows and outcomes (polled while `sro scan` waits).
CREATE INDEX "alert_ledger_pending_run_idx" ON "alert_ledger"("run_id") WHERE "status" = 'PENDING';
CREATE INDEX "alert_ledger_pending_requeued_idx" ON "alert_ledger"("requeued_by") WHERE "status" = 'PENDING';
CREATE INDEX "alert_ledger_claimed_for_run_status_idx" ON "alert_ledger"("claimed_for_run", "status");

-- A counter bumped by every statement that writes agencies, districts or their contacts,
-- so a send worker's cached directory is re-read as soon as an import changes it.
CREATE TABLE "directory_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "directory_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "directory_version_single_row" CHECK ("id" = 1)
);
INSERT INTO "directory_version" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "bump_directory_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "directory_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "agency_directory_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "agency"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_directory_version"();
CREATE TRIGGER "district_directory_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "district"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_directory_version"();
CREATE TRIGGER "district_contact_directory_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "district_contact"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_directory_version"();
