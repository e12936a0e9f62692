package com.welcomedly.dialer.engine.leadimport;

import com.typesafe.config.Config;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.lead.LeadIntake;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * The node's bulk lead path: admitted rows go to {@code lead_intake} and {@code hopper_lead} in
 * batches, one transaction each, so a lead is dialable the moment its batch commits and no entity
 * is started for it (it starts on first use, {@link Lead.IntakeLookup}). One per ActorSystem (an
 * extension). Its own few threads run the batches: at most {@code max-concurrent-batches} pooled
 * connections over all imports, and each batch first waits while the dialer or a projection is
 * waiting for a connection, so an import never queues the dialing's database work behind it.
 */
public final class BulkLeadWriter implements Extension {

  /** A row after admission: the Imported event to stage, or why the row is refused. */
  public record Admitted(int line, Lead.Imported lead, String rejection, String unreadable) {}

  /** A batch's result, rows in line order; {@code unreadable}: the file stops after this batch. */
  public record BatchResult(int accepted, List<Rejection> rejections, String unreadable) {}

  /** Where the imports' streams (file reading, CSV parsing, admission) run. */
  public static final String DISPATCHER = "dialer.lead.bulk-import.dispatcher";

  private static final int MAX_TRIES = 3;

  private final JdbcPool pool;
  private final LeadIntakeStore store;
  private final ExecutorService executor;
  private final Duration yieldMax;
  private final Clock clock = Clock.systemUTC();
  private final int batchSize;
  private final int admitParallelism;
  private final Executor admitExecutor;

  private BulkLeadWriter(ActorSystem<?> system) {
    Config config = system.settings().config().getConfig("dialer.lead.bulk-import");
    this.pool = JdbcPool.get(system);
    this.store = new LeadIntakeStore(system);
    this.batchSize = config.getInt("batch-size");
    this.yieldMax = config.getDuration("yield-max");
    this.admitParallelism = config.getInt("admit-parallelism");
    this.admitExecutor = system.dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER));
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            config.getInt("max-concurrent-batches"),
            r -> {
              Thread t = new Thread(r, "lead-bulk-import-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    system.getWhenTerminated().thenRun(executor::shutdownNow);
  }

  public static BulkLeadWriter get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public int batchSize() {
    return batchSize;
  }

  /**
   * The batch's rows through the Lead entity's own rules, on the imports' dispatcher: the stream
   * admits two batches at once (both cores; libphonenumber is most of a row's CPU) and keeps their
   * order, while the previous batch is in the database.
   */
  public CompletionStage<List<Admitted>> admitAll(String campaignId, List<ImportRow> rows) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<Admitted> admitted = new ArrayList<>(rows.size());
          for (ImportRow row : rows) {
            admitted.add(admit(campaignId, row));
          }
          return admitted;
        },
        admitExecutor);
  }

  /**
   * The bulk path as one stage: rows in file order in, one {@link BatchResult} per batch out. A
   * batch is written once full or after a short wait (so a trickle still lands soon); batches are
   * admitted {@code admitParallelism} at a time, in order, while the previous one is in the
   * database. Every caller (the import job, the demo and benchmarks) stages rows through this.
   */
  public Flow<ImportRow, BatchResult, NotUsed> stage(String campaignId, String jobId) {
    return Flow.<ImportRow>create()
        .groupedWithin(batchSize, Duration.ofMillis(100))
        .mapAsync(admitParallelism, batch -> admitAll(campaignId, batch))
        .mapAsync(1, batch -> write(campaignId, jobId, batch));
  }

  /** How many batches the stream admits at once. */
  public int admitParallelism() {
    return admitParallelism;
  }

  /** A row through the same rules the Lead entity applies to {@link Lead.Import} (CPU only). */
  Admitted admit(String campaignId, ImportRow row) {
    if (row instanceof ImportRow.Invalid invalid) {
      return new Admitted(invalid.line(), null, invalid.reason(), null);
    }
    if (row instanceof ImportRow.Unreadable unreadable) {
      return new Admitted(unreadable.line(), null, null, unreadable.reason());
    }
    ImportRow.Valid valid = (ImportRow.Valid) row;
    LeadIntake.Admission admission =
        LeadIntake.admit(
            valid.leadId(),
            campaignId,
            valid.numbers(),
            valid.timezone(),
            valid.priority(),
            valid.customFields(),
            Instant.EPOCH); // the batch's commit time replaces it
    return admission.admitted()
        ? new Admitted(valid.line(), admission.imported(), null, null)
        : new Admitted(valid.line(), null, admission.refusal(), null);
  }

  /** Stages the batch's admitted rows; rejections (refused, already existing) in line order. */
  public CompletionStage<BatchResult> write(String campaignId, String jobId, List<Admitted> batch) {
    List<Lead.Imported> leads = new ArrayList<>();
    for (Admitted row : batch) {
      if (row.lead() != null) {
        leads.add(row.lead());
      }
    }
    CompletableFuture<Set<String>> staged =
        leads.isEmpty()
            ? CompletableFuture.completedFuture(Set.of())
            : CompletableFuture.supplyAsync(() -> stage(campaignId, jobId, leads), executor);
    return staged.thenApply(held -> result(batch, held));
  }

  private static BatchResult result(List<Admitted> batch, Set<String> held) {
    int accepted = 0;
    String unreadable = null;
    List<Rejection> rejections = new ArrayList<>();
    for (Admitted row : batch) {
      if (row.unreadable() != null) {
        unreadable = row.unreadable();
        break; // nothing after an unreadable row is imported
      } else if (row.lead() == null) {
        rejections.add(new Rejection(row.line(), row.rejection()));
      } else if (held.contains(row.lead().leadId())) {
        accepted++;
      } else {
        rejections.add(new Rejection(row.line(), "lead " + row.lead().leadId() + " exists"));
      }
    }
    return new BatchResult(accepted, List.copyOf(rejections), unreadable);
  }

  /** Blocking, on the writer's own threads; a failed batch is tried again (idempotent). */
  private Set<String> stage(String campaignId, String jobId, List<Lead.Imported> leads) {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
      yieldToDialing();
      try (Connection c = pool.dataSource().getConnection()) {
        try {
          Set<String> held = store.stage(c, campaignId, jobId, clock.instant(), leads, attempt > 1);
          c.commit();
          return held;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        last = e;
      }
    }
    throw new JdbcPool.DatabaseException(last);
  }

  /** Waits (bounded) while anything else is waiting for one of the pool's connections. */
  private void yieldToDialing() {
    if (!(pool.dataSource() instanceof HikariDataSource hikari)
        || hikari.getHikariPoolMXBean() == null) {
      return;
    }
    long deadline = System.nanoTime() + yieldMax.toNanos();
    while (hikari.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0
        && System.nanoTime() < deadline) {
      try {
        TimeUnit.MILLISECONDS.sleep(5); // this import thread only: no actor, no shared pool
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static final class Id extends ExtensionId<BulkLeadWriter> {
    private static final Id INSTANCE = new Id();

    @Override
    public BulkLeadWriter createExtension(ActorSystem<?> system) {
      return new BulkLeadWriter(system);
    }
  }
}
