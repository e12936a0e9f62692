package com.welcomedly.dialer.engine.leadimport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One import: admits the rows by the Lead entity's own rules and stages them in batches through the
 * {@link BulkLeadWriter} (one batch in flight, back-pressured), and keeps the progress that {@code
 * GET /api/imports/{id}} shows. The job lives in this node's memory only: it is gone after a
 * restart and after {@code retention} past its end. Leads already imported stay imported either way
 * (committed batches; each lead's entity starts from its staged row on first use).
 */
public final class ImportJob {

  /** Node-local messages (the spec carries a stream source): never serialized. */
  public sealed interface Command extends NoSerializationVerificationNeeded {}

  public record Get(ActorRef<JobStatus.Lookup> replyTo) implements Command {}

  /** Replies once the job has ended (at once if it already has). */
  public record AwaitEnd(ActorRef<JobStatus> replyTo) implements Command {}

  private record Progress(BulkLeadWriter.BatchResult batch) implements Command {}

  private record Ended(Throwable failure) implements Command {}

  private enum Expire implements Command {
    INSTANCE
  }

  /** Tuning shared by all jobs of a node (the batches' own: dialer.lead.bulk-import). */
  public record Settings(Duration retention, int maxRejectionsKept) {}

  /** What the job needs to start; the rows source is consumed exactly once. */
  public record Spec(
      String jobId,
      String campaignId,
      String startedBy,
      Source<ImportRow, ?> rows,
      Long total,
      Runnable cleanup) {}

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
    BulkLeadWriter writer = BulkLeadWriter.get(ctx.getSystem());
    String campaignId = spec.campaignId();
    CompletionStage<Done> done =
        spec.rows()
            // Reading and checking the file (in order: line numbers, duplicate ids) runs on one
            // thread, admitting batches on the imports' two, the batches' SQL on the writer's:
            // all of it overlaps, and the stage keeps the file's order.
            .async()
            .via(writer.stage(campaignId, spec.jobId()))
            .toMat(
                Sink.foreach(
                    result -> {
                      self.tell(new Progress(result));
                      if (result.unreadable() != null) {
                        throw new ImportFormatException(result.unreadable());
                      }
                    }),
                Keep.right())
            // The import's CPU work stays off the default dispatcher the dialer's actors run on.
            .withAttributes(ActorAttributes.dispatcher(BulkLeadWriter.DISPATCHER))
            .run(ctx.getSystem());
    ctx.pipeToSelf(done, (ok, failure) -> new Ended(failure));
    return running();
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
    BulkLeadWriter.BatchResult batch = msg.batch();
    processed += batch.accepted() + batch.rejections().size();
    accepted += batch.accepted();
    rejectedCount += batch.rejections().size();
    for (Rejection rejection : batch.rejections()) {
      if (rejected.size() >= settings.maxRejectionsKept()) {
        break;
      }
      rejected.add(rejection);
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
