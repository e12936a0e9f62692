-- Fencing: the PostgreSQL-backed Pekko Coordination leases (engine/fencing/PostgresLease).
-- One row per lease (a shard, a shard coordinator, the split-brain resolver's decision), owned by
-- one process incarnation ("host:port#uid"). Expiry is judged with the database's clock only, so
-- the nodes' clocks never need to agree. Idempotent.

CREATE TABLE IF NOT EXISTS cluster_lease (
  name        TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  -- After this instant (database time) anyone may take the lease.
  expires_at  TIMESTAMPTZ NOT NULL,
  acquired_at TIMESTAMPTZ NOT NULL,
  renewed_at  TIMESTAMPTZ NOT NULL,
  -- +1 on every change of owner: a fencing token for audits and for the logs.
  version     BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS cluster_lease_owner_idx ON cluster_lease (owner);
