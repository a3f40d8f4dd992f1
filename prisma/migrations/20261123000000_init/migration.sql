
-- CreateEnum
CREATE TYPE "DistrictKind" AS ENUM ('DISTRICT', 'CHARTER');

-- CreateEnum
CREATE TYPE "ContactRole" AS ENUM ('PRIMARY', 'ESCALATION');

-- CreateEnum
CREATE TYPE "AssignmentRole" AS ENUM ('REGULAR', 'SUBSTITUTE');

-- CreateEnum
CREATE TYPE "TrainingKind" AS ENUM ('SRO_MANDATED', 'SRO_SUPPLEMENTAL', 'LEGACY_BASIC_SSC', 'LEGACY_BASIC_NASRO');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'SUPERSEDED');

-- CreateTable
CREATE TABLE "agency" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "chief_name" TEXT,
    "chief_email" TEXT,
    "escalation_emails" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "agency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "district" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "DistrictKind" NOT NULL,

    CONSTRAINT "district_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "district_contact" (
    "id" SERIAL NOT NULL,
    "district_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "ContactRole" NOT NULL,

    CONSTRAINT "district_contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "officer" (
    "license" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT NOT NULL,
    "email" TEXT,
    "agency_id" TEXT NOT NULL,

    CONSTRAINT "officer_pkey" PRIMARY KEY ("license")
);

-- CreateTable
CREATE TABLE "assignment" (
    "id" SERIAL NOT NULL,
    "license" TEXT NOT NULL,
    "district_id" TEXT NOT NULL,
    "school" TEXT,
    "role" "AssignmentRole" NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE,
    "training_unavailable" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training" (
    "id" SERIAL NOT NULL,
    "license" TEXT NOT NULL,
    "kind" "TrainingKind" NOT NULL,
    "completed_on" DATE NOT NULL,
    "certificate_on_file" BOOLEAN NOT NULL DEFAULT false,
    "course_number" TEXT,
    "provider" TEXT,

    CONSTRAINT "training_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_review" (
    "id" SERIAL NOT NULL,
    "license" TEXT NOT NULL,
    "agency_id" TEXT NOT NULL,
    "reviewed_on" DATE NOT NULL,

    CONSTRAINT "policy_review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_day" (
    "license" TEXT NOT NULL,
    "district_id" TEXT NOT NULL,
    "date" DATE NOT NULL,

    CONSTRAINT "contact_day_pkey" PRIMARY KEY ("license","district_id","date")
);

-- CreateTable
CREATE TABLE "alert_ledger" (
    "key" TEXT NOT NULL,
    "alert_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "license" TEXT,
    "recipient" TEXT NOT NULL,
    "due_date" DATE,
    "lead" INTEGER,
    "level" INTEGER,
    "threshold" INTEGER,
    "school_year" TEXT,
    "as_of" DATE NOT NULL,
    "status" "AlertStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "message_id" TEXT,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_ledger_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "district_contact_district_id_email_role_key" ON "district_contact"("district_id", "email", "role");

-- CreateIndex
CREATE INDEX "officer_agency_id_idx" ON "officer"("agency_id");

-- CreateIndex
CREATE INDEX "assignment_district_id_idx" ON "assignment"("district_id");

-- CreateIndex
CREATE UNIQUE INDEX "assignment_license_district_id_start_date_key" ON "assignment"("license", "district_id", "start_date");

-- CreateIndex
CREATE UNIQUE INDEX "training_license_kind_completed_on_key" ON "training"("license", "kind", "completed_on");

-- CreateIndex
CREATE INDEX "policy_review_agency_id_idx" ON "policy_review"("agency_id");

-- CreateIndex
CREATE UNIQUE INDEX "policy_review_license_agency_id_reviewed_on_key" ON "policy_review"("license", "agency_id", "reviewed_on");

-- CreateIndex
CREATE INDEX "contact_day_district_id_idx" ON "contact_day"("district_id");

-- CreateIndex
CREATE INDEX "alert_ledger_license_kind_idx" ON "alert_ledger"("license", "kind");

-- CreateIndex
CREATE INDEX "alert_ledger_alert_key_idx" ON "alert_ledger"("alert_key");

-- CreateIndex
CREATE INDEX "alert_ledger_status_updated_at_idx" ON "alert_ledger"("status", "updated_at");

-- AddForeignKey
ALTER TABLE "district_contact" ADD CONSTRAINT "district_contact_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "officer" ADD CONSTRAINT "officer_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_license_fkey" FOREIGN KEY ("license") REFERENCES "officer"("license") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training" ADD CONSTRAINT "training_license_fkey" FOREIGN KEY ("license") REFERENCES "officer"("license") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_review" ADD CONSTRAINT "policy_review_license_fkey" FOREIGN KEY ("license") REFERENCES "officer"("license") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_review" ADD CONSTRAINT "policy_review_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_day" ADD CONSTRAINT "contact_day_license_fkey" FOREIGN KEY ("license") REFERENCES "officer"("license") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_day" ADD CONSTRAINT "contact_day_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
