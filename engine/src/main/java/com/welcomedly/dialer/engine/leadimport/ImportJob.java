package com.welcomedly.dialer.engine.leadimport;

import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.lead.PhoneNumbers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One import: runs the rows through the Lead entities ({@link Lead.Import}) with bounded
 * parallelism, back-pressured, and keeps the progress that {@code GET /api/imports/{id}} shows. The
 * job lives in this node's memory only: it is gone after a restart and after {@code retention} past
 * its end. Leads already imported stay imported either way (they are event-sourced entities).
 */
public final class ImportJob {

  /** Node-local messages (the spec carries a stream source): never serialized. */
  public sealed interface Command extends NoSerializationVerificationNeeded {}

  public record Get(ActorRef<JobStatus.Lookup> replyTo) implements Command {}

  /** Replies once the job has ended (at once if it already has). */
  public record AwaitEnd(ActorRef<JobStatus> replyTo) implements Command {}

  private record Progress(List<Outcome> outcomes) implements Command {}

  private record Ended(Throwable failure) implements Command {}

  private enum Expire implements Command {
    INSTANCE
  }

  /** Tuning shared by all jobs of a node. */
  public record Settings(
      int parallelism, Duration askTimeout, Duration retention, int maxRejectionsKept) {}

  /** What the job needs to start; the rows source is consumed exactly once. */
  public record Spec(
      String jobId,
      String campaignId,
      String startedBy,
      Source<ImportRow, ?> rows,
      Long total,
      Runnable cleanup) {}

  private record Outcome(boolean accepted, Rejection rejection) {}

  /** Asks per row before its status is reported unknown (each waits the ask time-out). */
  private static final int MAX_ATTEMPTS = 3;

  public static Behavior<Command> create(Spec spec, Settings settings, Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new ImportJob(ctx, timers, spec, settings, clock).start()));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Spec spec;
  private final Settings settings;
  private final Clock clock;
  private final Instant startedAt;
  private final List<Rejection> rejected = new ArrayList<>();
  private final List<ActorRef<JobStatus>> waiting = new ArrayList<>();
  private long processed;
  private long accepted;
  private long rejectedCount;
  private JobStatus.State state = JobStatus.State.RUNNING;
  private String error;
  private Instant finishedAt;

  private ImportJob(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      Spec spec,
      Settings settings,
      Clock clock) {
    this.ctx = ctx;
    this.timers = timers;
    this.spec = spec;
    this.settings = settings;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  private Behavior<Command> start() {
    ActorRef<Command> self = ctx.getSelf();
    CompletionStage<Done> done =
        spec.rows()
            .mapAsync(settings.parallelism(), this::importRow)
            // Progress goes to the actor in small batches: frequent enough to watch, cheap enough
            // not to flood the mailbox on a file of millions of rows.
            .groupedWithin(200, Duration.ofMillis(200))
            .runWith(Sink.foreach(batch -> self.tell(new Progress(batch))), ctx.getSystem());
    ctx.pipeToSelf(done, (ok, failure) -> new Ended(failure));
    return running();
  }

  /** Runs on the stream: only asks the entity, never touches the actor's fields. */
  private CompletionStage<Outcome> importRow(ImportRow row) {
    if (row instanceof ImportRow.Invalid invalid) {
      return CompletableFuture.completedFuture(
          new Outcome(false, new Rejection(invalid.line(), invalid.reason())));
    }
    if (row instanceof ImportRow.Unreadable unreadable) {
      return CompletableFuture.failedFuture(new ImportFormatException(unreadable.reason()));
    }
    return imported((ImportRow.Valid) row, 1);
  }

  /** Asks a lead to import; an ask that times out is retried, never counted as a rejection. */
  private CompletionStage<Outcome> imported(ImportRow.Valid valid, int attempt) {
    return lead(valid)
        .<StatusReply<Lead.Summary>>ask(
            replyTo ->
                new Lead.Import(
                    spec.campaignId(),
                    valid.numbers(),
                    valid.timezone(),
                    valid.priority(),
                    valid.customFields(),
                    replyTo),
            settings.askTimeout())
        .handle(
            (reply, failure) -> {
              if (failure != null) {
                // A slow entity (busy journal, recovering shard) may or may not have imported
                // the row: ask again. The entity answers "exists" when the first ask did.
                return attempt < MAX_ATTEMPTS
                    ? imported(valid, attempt + 1)
                    : CompletableFuture.completedFuture(
                        new Outcome(
                            false,
                            new Rejection(
                                valid.line(),
                                "the lead did not answer after "
                                    + MAX_ATTEMPTS
                                    + " tries; its status is unknown: GET /api/leads/"
                                    + valid.leadId())));
              }
              if (reply.isSuccess()) {
                return CompletableFuture.completedFuture(new Outcome(true, null));
              }
              Outcome refused =
                  new Outcome(false, new Rejection(valid.line(), reply.getError().getMessage()));
              return attempt == 1
                  ? CompletableFuture.completedFuture(refused)
                  : importedByEarlierAsk(valid, refused);
            })
        .thenCompose(outcome -> outcome);
  }

  /**
   * After a time-out, "exists" usually means our own earlier ask got through: the lead then holds
   * exactly this row (same campaign, numbers, priority, fields, never dialled), and the row counts
   * as imported. A lead that differs existed before the job and stays a rejection.
   */
  private CompletionStage<Outcome> importedByEarlierAsk(ImportRow.Valid valid, Outcome refused) {
    return lead(valid)
        .ask(Lead.GetSummary::new, settings.askTimeout())
        .handle(
            (summary, failure) ->
                failure == null && holdsRow(summary, valid) ? new Outcome(true, null) : refused);
  }

  private boolean holdsRow(Lead.Summary lead, ImportRow.Valid row) {
    List<String> rowNumbers =
        row.numbers().stream().map(n -> PhoneNumbers.toE164(n).orElse(n)).distinct().toList();
    return spec.campaignId().equals(lead.campaignId())
        && lead.attempts().isEmpty()
        && lead.priority() == row.priority()
        && (row.timezone() == null || row.timezone().equals(lead.timezone()))
        && lead.customFields().equals(row.customFields())
        && lead.numbers().stream().map(Lead.PhoneNumber::e164).toList().equals(rowNumbers);
  }

  private EntityRef<Lead.Command> lead(ImportRow.Valid row) {
    return ClusterSharding.get(ctx.getSystem()).entityRefFor(Lead.ENTITY_KEY, row.leadId());
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(Progress.class, this::onProgress)
        .onMessage(Ended.class, this::onEnded)
        .onMessage(Get.class, this::onGet)
        .onMessage(
            AwaitEnd.class,
            msg -> {
              waiting.add(msg.replyTo());
              return Behaviors.same();
            })
        .build();
  }

  private Behavior<Command> ended() {
    return Behaviors.receive(Command.class)
        .onMessage(Get.class, this::onGet)
        .onMessage(
            AwaitEnd.class,
            msg -> {
              msg.replyTo().tell(status());
              return Behaviors.same();
            })
        .onMessageEquals(Expire.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Command> onProgress(Progress msg) {
    for (Outcome outcome : msg.outcomes()) {
      processed++;
      if (outcome.accepted()) {
        accepted++;
      } else {
        rejectedCount++;
        if (rejected.size() < settings.maxRejectionsKept()) {
          rejected.add(outcome.rejection());
        }
      }
    }
    return Behaviors.same();
  }

  private Behavior<Command> onEnded(Ended msg) {
    finishedAt = clock.instant();
    if (msg.failure() == null) {
      state = JobStatus.State.DONE;
    } else {
      state = JobStatus.State.FAILED;
      error =
          msg.failure() instanceof ImportFormatException
              ? msg.failure().getMessage()
              : "the import stopped: " + msg.failure().getClass().getSimpleName();
      if (!(msg.failure() instanceof ImportFormatException)) {
        ctx.getLog().warn("Lead import {} failed", spec.jobId(), msg.failure());
      }
    }
    ctx.getLog()
        .info(
            "Lead import {} for campaign {} {}: {} accepted, {} rejected",
            spec.jobId(),
            spec.campaignId(),
            state,
            accepted,
            rejectedCount);
    spec.cleanup().run();
    waiting.forEach(w -> w.tell(status()));
    waiting.clear();
    timers.startSingleTimer(Expire.INSTANCE, settings.retention());
    return ended();
  }

  private Behavior<Command> onGet(Get msg) {
    msg.replyTo().tell(new JobStatus.Lookup(status()));
    return Behaviors.same();
  }

  private JobStatus status() {
    Long total = state == JobStatus.State.DONE ? Long.valueOf(processed) : spec.total();
    return new JobStatus(
        spec.jobId(),
        spec.campaignId(),
        state,
        processed,
        accepted,
        rejectedCount,
        List.copyOf(rejected),
        total,
        error,
        spec.startedBy(),
        startedAt,
        finishedAt);
  }
}
