-- Read models fed by projections. Idempotent: applied at every start.

-- The hopper: one row per lead, the index the dialer pulls candidates from. Only an index — the
-- Lead entity stays the authority and refuses what it must (see HopperProjectionHandler).
CREATE TABLE IF NOT EXISTS hopper_lead (
  lead_id VARCHAR(255) PRIMARY KEY,
  campaign_id VARCHAR(255) NOT NULL,
  status VARCHAR(16) NOT NULL,
  priority INT NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ,
  callback_due_at TIMESTAMPTZ,
  callback_agent_id VARCHAR(255),
  -- An IANA zone PostgreSQL knows, or NULL: then the calling window is left to the Lead entity.
  timezone VARCHAR(64),
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS hopper_lead_dialable_idx
  ON hopper_lead (campaign_id, priority DESC, attempts, next_attempt_at)
  WHERE status IN ('QUEUED', 'CALLBACK');

-- Campaigns as lists and dashboards see them; also tells the dialer supervision which campaigns
-- need a dialer (ACTIVE, PAUSED) after a restart or a node loss.
CREATE TABLE IF NOT EXISTS campaign_view (
  campaign_id VARCHAR(255) PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  status VARCHAR(16) NOT NULL,
  dial_mode VARCHAR(16) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS campaign_view_status_idx ON campaign_view (status);

-- Agents as lists and boards see them (GET /api/agents); the Agent entity stays the authority for
-- one agent's state and time accounting.
CREATE TABLE IF NOT EXISTS agent_view (
  agent_id VARCHAR(255) PRIMARY KEY,
  display_name VARCHAR(255),
  phone_endpoint VARCHAR(255),
  campaigns VARCHAR(255)[] NOT NULL,
  status VARCHAR(16) NOT NULL,
  pause_reason VARCHAR(16),
  status_since TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS agent_view_status_idx ON agent_view (status);

-- Live answers of each campaign: connected to an agent, or abandoned. A dialer starting on a node
-- (after a node loss or a restart) seeds its abandon ledger from the last 30 days of these.
CREATE TABLE IF NOT EXISTS campaign_live_answer (
  attempt_id VARCHAR(255) PRIMARY KEY,
  campaign_id VARCHAR(255) NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  abandoned BOOLEAN NOT NULL
);
CREATE INDEX IF NOT EXISTS campaign_live_answer_idx ON campaign_live_answer (campaign_id, at);

-- Pacing history of each campaign, written by the projections: every dial's resolution (seconds
-- from dial to answer or to its end, live or not; from the Lead events) and every talk and wrap-up
-- period (from the Agent events). A dialer that starts (first start, failover, rebalance) seeds
-- its pacing model from the latest rows, so a moved dialer does not learn again from nothing.
CREATE TABLE IF NOT EXISTS pacing_sample (
  -- DIAL:<attempt id>, TALK:<agent id>:<end>, WRAP:<agent id>:<end>: a replayed event adds nothing
  sample_id VARCHAR(512) PRIMARY KEY,
  campaign_id VARCHAR(255) NOT NULL,
  kind VARCHAR(8) NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  seconds DOUBLE PRECISION NOT NULL,
  live BOOLEAN
);
CREATE INDEX IF NOT EXISTS pacing_sample_idx ON pacing_sample (campaign_id, kind, at);
-- The current attempt's dial and answer times, for its DIAL sample when it ends.
ALTER TABLE hopper_lead ADD COLUMN IF NOT EXISTS dialed_at TIMESTAMPTZ;
ALTER TABLE hopper_lead ADD COLUMN IF NOT EXISTS answered_at TIMESTAMPTZ;
