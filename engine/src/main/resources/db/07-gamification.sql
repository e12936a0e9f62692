-- Gamification (engine/gamification): points and badges per agent, fed exactly-once by
-- GamificationProjection from the Lead events. Idempotent: applied at every start.

-- Per agent, campaign and UTC day: what earned points, and the points. Leaderboards sum these rows
-- over a period (today, this ISO week, the whole campaign).
CREATE TABLE IF NOT EXISTS gamification_agent_day (
  agent_id VARCHAR(255) NOT NULL,
  campaign_id VARCHAR(255) NOT NULL,
  day DATE NOT NULL,
  points BIGINT NOT NULL DEFAULT 0,
  contacts BIGINT NOT NULL DEFAULT 0,
  successes BIGINT NOT NULL DEFAULT 0,
  talk_seconds BIGINT NOT NULL DEFAULT 0,
  on_time_wrap_ups BIGINT NOT NULL DEFAULT 0,
  wrap_up_timeouts BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (agent_id, campaign_id, day)
);

-- Badges: each is awarded once per agent and campaign, at the event that earned it.
CREATE TABLE IF NOT EXISTS gamification_badge (
  agent_id VARCHAR(255) NOT NULL,
  campaign_id VARCHAR(255) NOT NULL,
  badge VARCHAR(64) NOT NULL,
  awarded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (agent_id, campaign_id, badge)
);

-- Calls connected to an agent and not ended yet: the talk time is counted at the call's end.
CREATE TABLE IF NOT EXISTS gamification_open_call (
  attempt_id VARCHAR(255) PRIMARY KEY,
  agent_id VARCHAR(255) NOT NULL,
  connected_at TIMESTAMPTZ NOT NULL
);
