-- The directory kept in the console (RULES.md 11): agencies, districts (with their contacts),
-- officers and assignments carry their source as facts do (RULES.md 7): ROSTER rows from an
-- import, CONSOLE rows created or last changed in the console, with who and when. The
-- defaults keep a writer that names none of the new columns (the roster import) as it was.
-- `sro import --replace` never deletes a CONSOLE row; a roster row with the same key takes it
-- over (it becomes ROSTER).
ALTER TABLE "agency"
    ADD COLUMN "source" "FactSource" NOT NULL DEFAULT 'ROSTER',
    ADD COLUMN "recorded_by" TEXT,
    ADD COLUMN "recorded_at" TIMESTAMPTZ(3);

ALTER TABLE "district"
    ADD COLUMN "source" "FactSource" NOT NULL DEFAULT 'ROSTER',
    ADD COLUMN "recorded_by" TEXT,
    ADD COLUMN "recorded_at" TIMESTAMPTZ(3);

ALTER TABLE "officer"
    ADD COLUMN "source" "FactSource" NOT NULL DEFAULT 'ROSTER',
    ADD COLUMN "recorded_by" TEXT,
    ADD COLUMN "recorded_at" TIMESTAMPTZ(3);

ALTER TABLE "assignment"
    ADD COLUMN "source" "FactSource" NOT NULL DEFAULT 'ROSTER',
    ADD COLUMN "recorded_by" TEXT,
    ADD COLUMN "recorded_at" TIMESTAMPTZ(3);

-- A district's own days without school (winter break, staff development days): a contact day
-- on one is refused unless confirmed (RULES.md 9), as on a weekend or a legal holiday.
CREATE TABLE "district_non_school_day" (
    "district_id" TEXT NOT NULL,
    "date" DATE NOT NULL,
    CONSTRAINT "district_non_school_day_pkey" PRIMARY KEY ("district_id", "date"),
    CONSTRAINT "district_non_school_day_district_id_fkey" FOREIGN KEY ("district_id")
        REFERENCES "district"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE TRIGGER "district_non_school_day_directory_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "district_non_school_day"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_directory_version"();
