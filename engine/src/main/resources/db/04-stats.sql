-- Campaign and agent statistics, fed by StatsProjection from the Lead and Agent events.
-- Idempotent: applied at every start. Every counter row is keyed by the hour (UTC, truncated)
-- the event happened in; the projection adds to it in the same transaction as its offset.

-- Per campaign and hour: the dialing funnel. A live answer is a call a person picked up that was
-- connected to an agent or abandoned (the abandon ledger's denominator); machines are not.
CREATE TABLE IF NOT EXISTS stats_campaign_hour (
  campaign_id VARCHAR(255) NOT NULL,
  hour TIMESTAMPTZ NOT NULL,
  dials BIGINT NOT NULL DEFAULT 0,
  answers BIGINT NOT NULL DEFAULT 0,
  live_answers BIGINT NOT NULL DEFAULT 0,
  connects BIGINT NOT NULL DEFAULT 0,
  abandons BIGINT NOT NULL DEFAULT 0,
  machines BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, hour)
);

-- Per campaign and hour: call outcomes (kind OUTCOME, code = Lead.CallOutcome) and dispositions
-- (kind DISPOSITION, code = disposition code, with its category).
CREATE TABLE IF NOT EXISTS stats_campaign_hour_code (
  campaign_id VARCHAR(255) NOT NULL,
  hour TIMESTAMPTZ NOT NULL,
  kind VARCHAR(16) NOT NULL,
  code VARCHAR(64) NOT NULL,
  category VARCHAR(16),
  count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, hour, kind, code)
);

-- The abandon ledger's figures per campaign and minute: the rolling 24 h and 30 day windows are
-- summed from these, with the ledger's rounding (a minute stays until all of it has left).
CREATE TABLE IF NOT EXISTS stats_abandon_minute (
  campaign_id VARCHAR(255) NOT NULL,
  minute TIMESTAMPTZ NOT NULL,
  live_answers BIGINT NOT NULL DEFAULT 0,
  abandons BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, minute)
);

-- Per agent, campaign and hour: calls and time accounting (seconds, split at hour boundaries),
-- dispositions by category. Ready and paused time counts for every campaign the agent is assigned
-- to; reserved, talk and wrap time only for the call's campaign. campaign_id '' holds the time of
-- an agent assigned to no campaign.
CREATE TABLE IF NOT EXISTS stats_agent_hour (
  agent_id VARCHAR(255) NOT NULL,
  campaign_id VARCHAR(255) NOT NULL,
  hour TIMESTAMPTZ NOT NULL,
  calls_handled BIGINT NOT NULL DEFAULT 0,
  ready_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
  reserved_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
  talk_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
  wrap_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
  paused_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
  dispositions BIGINT NOT NULL DEFAULT 0,
  success BIGINT NOT NULL DEFAULT 0,
  no_contact BIGINT NOT NULL DEFAULT 0,
  follow_up BIGINT NOT NULL DEFAULT 0,
  unsuccessful BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (agent_id, campaign_id, hour)
);
CREATE INDEX IF NOT EXISTS stats_agent_hour_campaign_idx ON stats_agent_hour (campaign_id, hour);

-- Where each agent's running stretch started: the next event closes it into stats_agent_hour.
CREATE TABLE IF NOT EXISTS stats_agent_clock (
  agent_id VARCHAR(255) PRIMARY KEY,
  status VARCHAR(16) NOT NULL,
  since TIMESTAMPTZ NOT NULL,
  -- comma-separated campaign ids the agent is assigned to
  campaigns TEXT NOT NULL,
  call_campaign_id VARCHAR(255)
);
