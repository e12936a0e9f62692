package com.welcomedly.dialer.engine.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started by this process from Maven-shipped binaries, so the demo and the
 * test suite need nothing but Java and Maven. With a data directory it survives restarts; without
 * one it lives in a temporary directory removed on {@link #close()}.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final DatabaseSettings settings;

  private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseSettings settings) {
    this.postgres = postgres;
    this.settings = settings;
  }

  /** Blocks for about 1.5 s: call it before the ActorSystem exists, never from an actor. */
  public static EmbeddedDatabase start(DatabaseSettings requested) {
    return start(requested, Map.of());
  }

  /**
   * With extra server settings on top of the durable ones, e.g. the benchmarks' {@code
   * shared_preload_libraries = pg_stat_statements} to count the SQL statements per call.
   */
  public static EmbeddedDatabase start(DatabaseSettings requested, Map<String, String> extra) {
    try {
      // zonky defaults to synchronous_commit=off and fsync=off, which can drop acknowledged journal
      // writes if PostgreSQL or the machine dies; an acknowledged event must never be lost.
      // full_page_writes follows fsync: without it a torn page after a power loss is unrecoverable.
      String fsync = requested.embeddedFsync() ? "on" : "off";
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setCleanDataDirectory(true)
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("fsync", fsync)
              .setServerConfig("full_page_writes", fsync);
      extra.forEach(builder::setServerConfig);
      requested
          .embeddedDataDir()
          .ifPresent(dir -> builder.setDataDirectory(dir).setCleanDataDirectory(false));
      EmbeddedPostgres postgres = builder.start();
      String url = postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true";
      DatabaseSettings settings = requested.withConnection(url, "postgres", "postgres");
      log.info("Embedded PostgreSQL listening on port {} (fsync {})", postgres.getPort(), fsync);
      return new EmbeddedDatabase(postgres, settings);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
    }
  }

  public DatabaseSettings settings() {
    return settings;
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
