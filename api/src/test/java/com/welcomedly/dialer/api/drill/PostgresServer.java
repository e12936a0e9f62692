package com.welcomedly.dialer.api.drill;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * A real PostgreSQL server the drill can stop and start again on the same port and data directory
 * (the embedded binaries from Maven Central, run as their own server process: the nodes reach it
 * over TCP like any external database). {@link #stop()} is a fast shutdown that closes every client
 * connection, as a database restart or a crash-restart does.
 */
final class PostgresServer implements AutoCloseable {
  static final String DATABASE = "drill";

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres server;

  private PostgresServer(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** Starts a fresh server with an empty {@code drill} database. */
  static PostgresServer start(Path workDir) throws IOException, SQLException {
    PostgresServer postgres = new PostgresServer(workDir.resolve("pgdata"), freePort());
    Files.createDirectories(workDir);
    postgres.startServer();
    try (Connection c = postgres.connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    }
    return postgres;
  }

  /** The JDBC URL the nodes use (journal, snapshots, read models). */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?reWriteBatchedInserts=true";
  }

  /** Fast shutdown: clients lose their connections at once. Returns when the server is down. */
  Instant stop() throws IOException {
    server.close();
    server = null;
    return Instant.now();
  }

  /** Starts the server again on the same port and data: returns when it accepts connections. */
  Instant restart() throws IOException {
    startServer();
    return Instant.now();
  }

  Connection connect() throws SQLException {
    return connect(DATABASE);
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "postgres");
  }

  private void startServer() throws IOException {
    // Never "clean": zonky would delete the data directory when the server stops. The directory
    // is new for each drill run (initdb runs on the first start only).
    server =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            // Every acknowledged write must survive the restart, as on a production server.
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("max_connections", "300")
            .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
