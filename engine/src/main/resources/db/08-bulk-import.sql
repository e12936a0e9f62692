-- Bulk lead import (engine/leadimport, docs/import.md). A lead imported in bulk is a row here and a
-- row in hopper_lead, written in one transaction per batch; its Lead entity is created on first
-- use and persists its Imported event from this row (the row's imported_at is the event's time),
-- so the lead's journal still begins with its import. The row stays: it is the authority for
-- "lead X exists" when a later import names the same id. Idempotent: applied at every start.
CREATE TABLE IF NOT EXISTS lead_intake (
  lead_id VARCHAR(255) PRIMARY KEY,
  campaign_id VARCHAR(255) NOT NULL,
  -- E.164 numbers, normalised and deduplicated, separated by one space, in the file's order.
  numbers TEXT NOT NULL,
  -- The lead's zone as the entity keeps it (may be a fixed offset), or NULL when none is known.
  timezone VARCHAR(64),
  priority INT NOT NULL,
  -- Custom fields as a JSON object, in the file's column order.
  custom_fields TEXT NOT NULL,
  not_dialable_reason TEXT,
  imported_at TIMESTAMPTZ NOT NULL,
  job_id VARCHAR(64) NOT NULL
);
