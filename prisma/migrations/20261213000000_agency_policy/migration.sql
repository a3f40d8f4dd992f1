-- The agency's SRO policy as a PDF (RULES.md 10; Minn. Stat. § 626.8482 subd. 6): uploaded by an
-- admin or the agency's chief, read by the agency's people before an officer attests a review.
-- One file per agency; a new upload replaces it (the audit log keeps who uploaded which, when).
CREATE TABLE "agency_policy_file" (
    "agency_id" TEXT NOT NULL,
    "sha256" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "uploaded_by" TEXT NOT NULL,
    "uploaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    CONSTRAINT "agency_policy_file_pkey" PRIMARY KEY ("agency_id"),
    CONSTRAINT "agency_policy_file_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
