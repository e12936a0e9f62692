-- A connect after the campaign's connect deadline (Lead.AgentConnected.late): an abandon under the
-- regulators' definition although an agent talks to the caller. The compliance report counts it so.
-- Idempotent: applied at every start; rows from before the column read as on-time connects, as the
-- events older than the field do.
ALTER TABLE compliance_call ADD COLUMN IF NOT EXISTS late_connect BOOLEAN NOT NULL DEFAULT FALSE;
