-- The directory's changes in the audit log (RULES.md 11): an agency or a district changed in
-- the console names it, as an officer's change names the license, so `GET /api/audit` gives
-- `agencyId` and `districtId` (INTERFACE.md "Console"). Existing events name neither. Adding
-- nullable columns rewrites no row (the append-only triggers see no UPDATE).
ALTER TABLE "audit_event"
    ADD COLUMN "agency_id" TEXT,
    ADD COLUMN "district_id" TEXT;
