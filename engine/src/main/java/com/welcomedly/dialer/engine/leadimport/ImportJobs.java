package com.welcomedly.dialer.engine.leadimport;

import java.time.Clock;
import java.util.Optional;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The node's import jobs: starts one {@link ImportJob} child per import, named by its job id, and
 * answers lookups. Node-local by design (a job's rows stream from this node's request or spool
 * file), so its messages carry stream sources and are never serialized.
 */
public final class ImportJobs {

  public sealed interface Command extends NoSerializationVerificationNeeded {}

  /** Starts the job and replies with its first status. */
  public record Start(ImportJob.Spec spec, ActorRef<JobStatus> replyTo) implements Command {}

  public record Get(String jobId, ActorRef<JobStatus.Lookup> replyTo) implements Command {}

  /** Replies with the job's final status once it ends; nothing if the job is unknown. */
  public record AwaitEnd(String jobId, ActorRef<JobStatus> replyTo) implements Command {}

  public static Behavior<Command> create(ImportJob.Settings settings, Clock clock) {
    return Behaviors.setup(ctx -> behavior(ctx, settings, clock));
  }

  private static Behavior<Command> behavior(
      ActorContext<Command> ctx, ImportJob.Settings settings, Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Start.class,
            msg -> {
              ctx.spawn(ImportJob.create(msg.spec(), settings, clock), msg.spec().jobId());
              msg.replyTo()
                  .tell(
                      new JobStatus(
                          msg.spec().jobId(),
                          msg.spec().campaignId(),
                          JobStatus.State.RUNNING,
                          0,
                          0,
                          0,
                          java.util.List.of(),
                          msg.spec().total(),
                          null,
                          msg.spec().startedBy(),
                          clock.instant(),
                          null));
              return Behaviors.same();
            })
        .onMessage(
            Get.class,
            msg -> {
              Optional<ActorRef<ImportJob.Command>> job = child(ctx, msg.jobId());
              if (job.isPresent()) {
                job.get().tell(new ImportJob.Get(msg.replyTo()));
              } else {
                msg.replyTo().tell(new JobStatus.Lookup(null));
              }
              return Behaviors.same();
            })
        .onMessage(
            AwaitEnd.class,
            msg -> {
              child(ctx, msg.jobId()).ifPresent(j -> j.tell(new ImportJob.AwaitEnd(msg.replyTo())));
              return Behaviors.same();
            })
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Optional<ActorRef<ImportJob.Command>> child(
      ActorContext<Command> ctx, String jobId) {
    return ctx.getChild(jobId).map(ref -> (ActorRef<ImportJob.Command>) (ActorRef<?>) ref);
  }
}
