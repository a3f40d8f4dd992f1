-- RULES.md 12: complaints are shown to admins on the agency's and the district's pages, read by
-- the addresses they came from. Complaints are few among millions of ledger rows: a partial
-- index holds only them, so the page never scans the ledger.
CREATE INDEX "alert_ledger_complaints_idx" ON "alert_ledger" (lower("recipient"), "complaint_at" DESC)
  WHERE "complaint_at" IS NOT NULL;
