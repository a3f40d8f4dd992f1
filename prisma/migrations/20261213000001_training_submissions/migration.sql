-- Facts that come from the officer (RULES.md 10): a training the officer submits with its
-- certificate waits for the chief's (or an admin's) answer, PENDING_REVIEW, and counts in no
-- rule until confirmed; confirmed, it is a CONSOLE training (training_id); rejected, it stays
-- here with the reason. Its certificate file is held while a submission refers to it.
CREATE TABLE "training_submission" (
    "id" SERIAL NOT NULL,
    "license" TEXT NOT NULL,
    "kind" "TrainingKind" NOT NULL,
    "completed_on" DATE NOT NULL,
    "course_number" TEXT,
    "provider" TEXT,
    "certificate_sha256" BYTEA NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING_REVIEW',
    "submitted_by" TEXT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "reviewed_by" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "training_id" INTEGER,
    CONSTRAINT "training_submission_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "training_submission_status" CHECK ("status" IN ('PENDING_REVIEW', 'CONFIRMED', 'REJECTED')),
    CONSTRAINT "training_submission_license_fkey" FOREIGN KEY ("license") REFERENCES "officer"("license") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "training_submission_certificate_fkey" FOREIGN KEY ("certificate_sha256") REFERENCES "certificate"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "training_submission_training_fkey" FOREIGN KEY ("training_id") REFERENCES "training"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "training_submission_license_idx" ON "training_submission"("license");
CREATE INDEX "training_submission_certificate_sha256_idx" ON "training_submission"("certificate_sha256");
