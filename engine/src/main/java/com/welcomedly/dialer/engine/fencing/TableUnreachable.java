package com.welcomedly.dialer.engine.fencing;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.pekko.coordination.lease.LeaseException;

/**
 * A claim refused without asking the database, because the last lease statement could not reach the
 * table (see {@link LeaseKeeper}): expected while the database is away, and logged by sharding for
 * every stopped shard every second, so it carries no stack trace.
 */
final class TableUnreachable extends LeaseException {

  TableUnreachable(String leaseName) {
    super("Lease " + leaseName + " not acquired: the lease table is unreachable");
  }

  /** A connection that could not be had or broke (SQL state class 08), not a refused statement. */
  static boolean isCause(SQLException e) {
    return e instanceof SQLTransientConnectionException
        || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
