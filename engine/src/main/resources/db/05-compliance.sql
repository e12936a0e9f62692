-- Compliance evidence, fed by ComplianceProjection from the Lead and Campaign events.
-- Idempotent: applied at every start. Every row is a fact copied from one event; the report
-- (ComplianceReport) evaluates the rules at query time, so a rebuild from the journal (drop these
-- rows and the projection's offsets) gives the same report for any past period.

-- Each lead's campaign and current timezone, to stamp the zone onto the dials.
CREATE TABLE IF NOT EXISTS compliance_lead (
  lead_id VARCHAR(255) PRIMARY KEY,
  campaign_id VARCHAR(255) NOT NULL,
  timezone VARCHAR(64)
);

-- One row per dial attempt (reservation): the call's facts in the order they happened.
CREATE TABLE IF NOT EXISTS compliance_call (
  attempt_id VARCHAR(255) PRIMARY KEY,
  campaign_id VARCHAR(255) NOT NULL,
  lead_id VARCHAR(255) NOT NULL,
  number VARCHAR(32),
  agent_id VARCHAR(255),
  reserved_at TIMESTAMPTZ NOT NULL,
  dialed_at TIMESTAMPTZ,
  -- the lead's zone when the dial started, and the ring timeout the dial used (ms; NULL: unknown)
  timezone VARCHAR(64),
  ring_timeout_ms BIGINT,
  answered_at TIMESTAMPTZ,
  connected_at TIMESTAMPTZ,
  ended_at TIMESTAMPTZ,
  outcome VARCHAR(16),
  disposition VARCHAR(64),
  next_attempt_at TIMESTAMPTZ,
  safe_harbor_result VARCHAR(16),
  safe_harbor_started_at TIMESTAMPTZ,
  safe_harbor_at TIMESTAMPTZ,
  opt_out_dnc_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS compliance_call_dialed_idx ON compliance_call (campaign_id, dialed_at);
CREATE INDEX IF NOT EXISTS compliance_call_ended_idx ON compliance_call (campaign_id, ended_at);
CREATE INDEX IF NOT EXISTS compliance_call_lead_idx ON compliance_call (lead_id, reserved_at);

-- Reservations refused by a regulatory rule (Lead.DialRefused).
CREATE TABLE IF NOT EXISTS compliance_refusal (
  lead_id VARCHAR(255) NOT NULL,
  attempt_id VARCHAR(255) NOT NULL,
  campaign_id VARCHAR(255) NOT NULL,
  rule VARCHAR(32) NOT NULL,
  reason TEXT NOT NULL,
  retry_at TIMESTAMPTZ,
  at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (lead_id, attempt_id)
);
CREATE INDEX IF NOT EXISTS compliance_refusal_idx ON compliance_refusal (campaign_id, at);

-- Every campaign change with the rules then in force: calling window (CallingWindowText), ring
-- timeout, and a readable summary of the pacing change when the pacing changed.
CREATE TABLE IF NOT EXISTS compliance_campaign_change (
  campaign_id VARCHAR(255) NOT NULL,
  seq BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  by_user VARCHAR(255),
  kind VARCHAR(32) NOT NULL,
  calling_window TEXT,
  ring_timeout_ms BIGINT,
  pacing_change TEXT,
  PRIMARY KEY (campaign_id, seq)
);
