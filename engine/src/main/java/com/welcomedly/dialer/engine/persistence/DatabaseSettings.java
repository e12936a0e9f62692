package com.welcomedly.dialer.engine.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the journal and read models live. An empty {@code url} means "start the embedded
 * PostgreSQL" (the demo and tests); a real deployment sets {@code DIALER_DB_URL}.
 */
public record DatabaseSettings(
    String url,
    String user,
    String password,
    Optional<Path> embeddedDataDir,
    int poolSize,
    boolean embeddedFsync) {

  /** Settings with the embedded server's durable default (fsync on). */
  public DatabaseSettings(
      String url, String user, String password, Optional<Path> embeddedDataDir, int poolSize) {
    this(url, user, password, embeddedDataDir, poolSize, true);
  }

  public static DatabaseSettings fromConfig(Config config) {
    Config db = config.getConfig("dialer.db");
    String dataDir = db.getString("embedded.data-dir");
    return new DatabaseSettings(
        db.getString("url"),
        db.getString("user"),
        db.getString("password"),
        dataDir.isBlank() ? Optional.empty() : Optional.of(Path.of(dataDir)),
        db.getInt("pool-size"),
        db.getBoolean("embedded.fsync"));
  }

  public boolean isEmbedded() {
    return url.isBlank();
  }

  public DatabaseSettings withConnection(String newUrl, String newUser, String newPassword) {
    return new DatabaseSettings(
        newUrl, newUser, newPassword, embeddedDataDir, poolSize, embeddedFsync);
  }

  /**
   * Config overrides that point Pekko's JDBC journal, snapshot store, read journal and our own pool
   * at this database. Used before the substitutions in {@code persistence.conf} resolve.
   */
  public Config asConfigOverrides() {
    return ConfigFactory.parseMap(
        Map.of("dialer.db.url", url, "dialer.db.user", user, "dialer.db.password", password));
  }

  @Override
  public String toString() {
    // Never print the password, even at debug level.
    return "DatabaseSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
  }
}
