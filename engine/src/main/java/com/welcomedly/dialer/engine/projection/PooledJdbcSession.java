package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.projection.jdbc.JdbcSession;

/**
 * A projection's JDBC session on a connection from the read-side pool. Pekko Projection runs the
 * handler's SQL and the offset update on this one connection and commits them together, which is
 * what makes the read models exactly-once.
 */
public final class PooledJdbcSession implements JdbcSession {
  private final Connection connection;

  public PooledJdbcSession(JdbcPool pool) {
    try {
      this.connection = pool.dataSource().getConnection();
      this.connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new IllegalStateException("No connection for a projection: " + e.getMessage(), e);
    }
  }

  @Override
  public <Result> Result withConnection(Function<Connection, Result> func) throws Exception {
    return func.apply(connection);
  }

  @Override
  public void commit() throws SQLException {
    connection.commit();
  }

  @Override
  public void rollback() throws SQLException {
    connection.rollback();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
