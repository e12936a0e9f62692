package com.welcomedly.dialer.api.cluster;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.EmbeddedDatabase;
import com.welcomedly.dialer.engine.persistence.SchemaMigrator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * One embedded PostgreSQL for several local nodes ({@code deploy/local-cluster.sh}): starts it,
 * applies the schema, writes its JDBC URL to the file named by the first argument and runs until
 * the process is stopped. The nodes then share the journal, as a real cluster would.
 */
public final class LocalDatabase {

  private LocalDatabase() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: LocalDatabase <file to write the JDBC URL to>");
    }
    EmbeddedDatabase database =
        EmbeddedDatabase.start(DatabaseSettings.fromConfig(ConfigFactory.load()));
    SchemaMigrator.migrate(database.settings());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  database.close();
                  stopped.countDown();
                },
                "local-database-stop"));
    Path urlFile = Path.of(args[0]);
    Files.writeString(
        urlFile.resolveSibling(urlFile.getFileName() + ".tmp"), database.settings().url());
    Files.move(
        urlFile.resolveSibling(urlFile.getFileName() + ".tmp"),
        urlFile,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    stopped.await();
  }
}
