package com.welcomedly.dialer.engine.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The connection pool for read models, projections and health checks, one per ActorSystem (a Pekko
 * extension, not a global), closed when the system terminates. Every query goes through {@link
 * #withConnection} and runs on the blocking JDBC dispatcher, never on an actor thread. (Pekko's
 * journal plugins keep their own shared Slick pool, configured in persistence.conf.)
 */
public final class JdbcPool implements Extension {

  /** Same dispatcher as pekko-projection-jdbc, sized like the pool. */
  public static final String BLOCKING_DISPATCHER = "pekko.projection.jdbc.blocking-jdbc-dispatcher";

  private final HikariDataSource dataSource;
  private final Executor blockingExecutor;

  private JdbcPool(ActorSystem<?> system) {
    DatabaseSettings settings = DatabaseSettings.fromConfig(system.settings().config());
    if (settings.isEmbedded()) {
      throw new IllegalStateException(
          "dialer.db.url is empty: start the embedded database (or set DIALER_DB_URL) before"
              + " the ActorSystem");
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("dialer-read-side");
    hikari.setJdbcUrl(settings.url());
    hikari.setUsername(settings.user());
    hikari.setPassword(settings.password());
    hikari.setMaximumPoolSize(settings.poolSize());
    hikari.setAutoCommit(false);
    hikari.setConnectionTimeout(
        system.settings().config().getDuration("dialer.db.connection-timeout").toMillis());
    this.dataSource = new HikariDataSource(hikari);
    this.blockingExecutor =
        system.dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
    system.getWhenTerminated().thenRun(dataSource::close);
  }

  public static JdbcPool get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs blocking JDBC work on the JDBC dispatcher; commits on success, rolls back on error. */
  public <T> CompletionStage<T> withConnection(SqlWork<T> work) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection connection = dataSource.getConnection()) {
            try {
              T result = work.apply(connection);
              connection.commit();
              return result;
            } catch (SQLException | RuntimeException e) {
              connection.rollback();
              throw e;
            }
          } catch (SQLException e) {
            throw new DatabaseException(e);
          }
        },
        blockingExecutor);
  }

  /**
   * Round trip to the server, the readiness probe's database check: false on any error and on no
   * answer within {@code timeout}, so a vanished database cannot make the probe itself hang.
   */
  public CompletionStage<Boolean> isReachable(Duration timeout) {
    return withConnection(
            connection -> {
              try (Statement statement = connection.createStatement()) {
                return statement.execute("SELECT 1");
              }
            })
        .toCompletableFuture()
        .completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> false);
  }

  /** A unit of blocking JDBC work. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** An SQL failure surfaced through a CompletionStage. */
  public static final class DatabaseException extends RuntimeException {
    public DatabaseException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private static final class Id extends ExtensionId<JdbcPool> {
    private static final Id INSTANCE = new Id();

    @Override
    public JdbcPool createExtension(ActorSystem<?> system) {
      return new JdbcPool(system);
    }
  }
}
