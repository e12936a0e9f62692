package com.welcomedly.dialer.engine.persistence;

import com.typesafe.config.Config;
import java.util.List;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * The JDBC journal plugin, counting the writes that fail ({@code persistence.conf} names this class
 * as {@code jdbc-journal.class}). A failed write stops the entity that persisted (it restarts with
 * backoff); the count is what an operator alerts on. Only observes: the write's result is returned
 * untouched.
 */
public final class InstrumentedJdbcJournal extends JdbcAsyncWriteJournal {

  public InstrumentedJdbcJournal(Config config) {
    super(config);
  }

  @Override
  public Future<scala.collection.immutable.Seq<Try<BoxedUnit>>> asyncWriteMessages(
      scala.collection.immutable.Seq<AtomicWrite> messages) {
    Future<scala.collection.immutable.Seq<Try<BoxedUnit>>> result =
        super.asyncWriteMessages(messages);
    List<AtomicWrite> writes = CollectionConverters.asJava(messages);
    FutureConverters.asJava(result)
        .whenComplete(
            (tries, failure) -> {
              if (failure != null) {
                writes.forEach(w -> count(w, "failed"));
                return;
              }
              List<Try<BoxedUnit>> outcomes = CollectionConverters.asJava(tries);
              for (int i = 0; i < outcomes.size() && i < writes.size(); i++) {
                if (outcomes.get(i).isFailure()) {
                  count(writes.get(i), "rejected");
                }
              }
            });
    return result;
  }

  private static void count(AtomicWrite write, String kind) {
    String id = write.persistenceId();
    int bar = id.indexOf('|');
    String entity = bar > 0 ? id.substring(0, bar) : "other";
    PersistenceMetrics.writeFailures(entity, kind).increment(write.size());
  }
}
