-- A deadline is an obligation (RULES.md 8): an alert ladder (reminders, escalation levels,
-- RESOLVED) belongs to one obligation of an officer (LEGACY, PRE_MANDATE, NEW_SRO,
-- SUBSTITUTE:<school year>), never to a due date a correction may move. Each ladder row names
-- its obligation, and its alert key names the obligation instead of the due date
-- ('DEADLINE_MISSED:12345:NEW_SRO:level=1'), so the planner finds the steps already taken
-- whatever date they were sent for. A step that says the due date was corrected records the
-- date the people had been told (`corrected_from`).
ALTER TABLE "alert_ledger"
    ADD COLUMN "obligation" TEXT,
    ADD COLUMN "corrected_from" DATE;

-- Rows written before this rule keep counting: each belongs to the obligation its officer and
-- due date give (RULES.md 8), read from the officer's facts as they are now:
--   LEGACY       the legacy due date 2027-05-31, for an officer with a legacy basic course
--                completed before 2025-09-01 (rule 3, V.B);
--   PRE_MANDATE  the due date 2025-09-01 (rule 4, S before 2025-09-01), unless a REGULAR
--                assignment starts that very day (a NEW_SRO due on S);
--   NEW_SRO      a due date that is a REGULAR assignment's start (S), or its grace due date
--                (six calendar months later, § 645.14, rolled past at most a long weekend,
--                § 645.15) when that assignment has `training_unavailable` (V.A, V.C);
--   SUBSTITUTE:<school year>  otherwise, for an officer with a SUBSTITUTE assignment: the
--                school year of the scan day the row was written for (`as_of`), which is
--                the year whose 60th contact day set the deadline (section 2). Decision: the
--                school year is counted from July 1, SCHOOL_YEAR_START's default; a SQL
--                migration cannot read the configuration;
--   NEW_SRO      for anyone else (an officer whose facts no longer explain the date).
UPDATE "alert_ledger" l SET "obligation" = CASE
    WHEN l."due_date" = DATE '2027-05-31' AND EXISTS (
        SELECT 1 FROM "training" t WHERE t."license" = l."license"
          AND t."kind" IN ('LEGACY_BASIC_SSC', 'LEGACY_BASIC_NASRO') AND t."completed_on" < DATE '2025-09-01')
      THEN 'LEGACY'
    WHEN l."due_date" = DATE '2025-09-01' AND NOT EXISTS (
        SELECT 1 FROM "assignment" a WHERE a."license" = l."license"
          AND a."role" = 'REGULAR' AND a."start_date" = DATE '2025-09-01')
      THEN 'PRE_MANDATE'
    WHEN EXISTS (
        SELECT 1 FROM "assignment" a WHERE a."license" = l."license" AND a."role" = 'REGULAR'
          AND (a."start_date" = l."due_date"
            OR (a."training_unavailable"
              AND (a."start_date" + INTERVAL '6 months')::date BETWEEN l."due_date" - 4 AND l."due_date")))
      THEN 'NEW_SRO'
    WHEN EXISTS (
        SELECT 1 FROM "assignment" a WHERE a."license" = l."license" AND a."role" = 'SUBSTITUTE')
      THEN 'SUBSTITUTE:' || CASE WHEN extract(month FROM l."as_of") >= 7
        THEN extract(year FROM l."as_of")::int || '-' || (extract(year FROM l."as_of")::int + 1)
        ELSE (extract(year FROM l."as_of")::int - 1) || '-' || extract(year FROM l."as_of")::int END
    ELSE 'NEW_SRO'
  END
WHERE l."kind" IN ('DEADLINE_REMINDER', 'DEADLINE_MISSED') AND l."license" IS NOT NULL AND l."due_date" IS NOT NULL;

-- RESOLVED closes the escalation it followed: the obligation of the officer's overdue notices
-- of the same due date (its own scan day may be of a later school year).
UPDATE "alert_ledger" l SET "obligation" = coalesce((
    SELECT m."obligation" FROM "alert_ledger" m
    WHERE m."license" = l."license" AND m."kind" = 'DEADLINE_MISSED' AND m."due_date" = l."due_date"
      AND m."obligation" IS NOT NULL
    ORDER BY m."created_at" DESC, m."key" LIMIT 1), 'NEW_SRO')
WHERE l."kind" = 'RESOLVED' AND l."license" IS NOT NULL AND l."due_date" IS NOT NULL;

-- The alert key names the obligation (src/domain/alerts.ts alertKey). The row key (the ledger
-- key, a send job's id, a bounce's token) stays as it was written.
UPDATE "alert_ledger" SET "alert_key" = CASE "kind"
    WHEN 'DEADLINE_REMINDER' THEN 'DEADLINE_REMINDER:' || "license" || ':' || "obligation" || ':lead=' || "lead"
    WHEN 'DEADLINE_MISSED' THEN 'DEADLINE_MISSED:' || "license" || ':' || "obligation" || ':level=' || "level"
    ELSE 'RESOLVED:' || "license" || ':' || "obligation"
  END
WHERE "obligation" IS NOT NULL;

-- The planner reads an officer's rows in the order written (the last due date told).
CREATE INDEX "alert_ledger_license_created_at_idx" ON "alert_ledger"("license", "created_at");
