package com.welcomedly.dialer.api.demo;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Prints one progress line every {@code report-every}: it asks the campaign's dialer for its {@code
 * Status} and every agent for its {@code Summary}, and formats them ({@link Progress}). On {@link
 * Finish} it prints the summary of the whole run. Output goes to an injected printer, so a test
 * reads the lines instead of scraping stdout.
 */
public final class ProgressReporter extends AbstractBehavior<ProgressReporter.Command> {

  /** Node-local messages: the reporter lives and dies with its demo. */
  public interface Command extends NoSerializationVerificationNeeded {}

  /** A bot gave a call this disposition (counted for the summary). */
  record Dispositioned(String code) implements Command {}

  /** Prints the final summary, then replies. */
  record Finish(ActorRef<Done> replyTo) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Sampled(Progress.Sample sample, ActorRef<Done> finishing) implements Command {}

  // The summary must come out within the shutdown phase even when an agent no longer answers.
  private static final Duration FINISH_ASK_TIMEOUT = Duration.ofSeconds(2);

  private final String campaignId;
  private final List<String> agentIds;
  private final DemoOptions options;
  private final IntSupplier leadsImported;
  private final Consumer<String> printer;
  private final Clock clock;
  private final Instant startedAt;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Map<String, Long> dispositions = new TreeMap<>();
  private Progress.AgentTime previous = Progress.AgentTime.ZERO;
  private boolean sampling;
  private boolean finished;

  public static Behavior<Command> create(
      String campaignId,
      List<String> agentIds,
      DemoOptions options,
      IntSupplier leadsImported,
      Consumer<String> printer,
      Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new ProgressReporter(
                        ctx,
                        timers,
                        campaignId,
                        agentIds,
                        options,
                        leadsImported,
                        printer,
                        clock)));
  }

  private ProgressReporter(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String campaignId,
      List<String> agentIds,
      DemoOptions options,
      IntSupplier leadsImported,
      Consumer<String> printer,
      Clock clock) {
    super(context);
    this.campaignId = campaignId;
    this.agentIds = List.copyOf(agentIds);
    this.options = options;
    this.leadsImported = leadsImported;
    this.printer = printer;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.sharding = ClusterSharding.get(context.getSystem());
    this.askTimeout = context.getSystem().settings().config().getDuration("dialer.api.ask-timeout");
    timers.startTimerWithFixedDelay(Tick.INSTANCE, options.reportEvery());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Dispositioned.class, this::onDispositioned)
        .onMessage(Finish.class, this::onFinish)
        .onMessage(Sampled.class, this::onSampled)
        .build();
  }

  private Behavior<Command> onTick() {
    // A slow answer (a loaded machine) skips a line rather than piling asks up.
    if (!sampling && !finished) {
      sampling = true;
      sample(null, askTimeout);
    }
    return this;
  }

  private Behavior<Command> onDispositioned(Dispositioned d) {
    dispositions.merge(d.code(), 1L, Long::sum);
    return this;
  }

  private Behavior<Command> onFinish(Finish finish) {
    finished = true;
    sample(finish.replyTo(), FINISH_ASK_TIMEOUT);
    return this;
  }

  private Behavior<Command> onSampled(Sampled sampled) {
    Progress.Sample sample = sampled.sample();
    if (sample == null) {
      sampling = false;
      if (sampled.finishing() != null) {
        sampled.finishing().tell(Done.getInstance());
      }
      return this;
    }
    if (sampled.finishing() != null) {
      Progress.summary(sample, options.timeScale(), dispositions, campaignId).forEach(printer);
      sampled.finishing().tell(Done.getInstance());
      return this;
    }
    sampling = false;
    if (finished) {
      return this;
    }
    Progress.AgentTime now = sample.agentTime();
    printer.accept(Progress.line(sample, options.timeScale(), now.minus(previous)));
    previous = now;
    return this;
  }

  /** Asks the dialer and every agent; an agent that does not answer is left out of this line. */
  private void sample(ActorRef<Done> finishing, Duration timeout) {
    CompletableFuture<CampaignDialer.Status> dialer =
        sharding
            .entityRefFor(CampaignDialer.ENTITY_KEY, campaignId)
            .ask(CampaignDialer.GetStatus::new, timeout)
            .toCompletableFuture()
            .exceptionally(failure -> null);
    List<CompletableFuture<Agent.Summary>> agents = new ArrayList<>();
    for (String agentId : agentIds) {
      agents.add(
          sharding
              .entityRefFor(Agent.ENTITY_KEY, agentId)
              .ask(Agent.GetSummary::new, timeout)
              .toCompletableFuture()
              .exceptionally(failure -> null));
    }
    CompletionStage<Progress.Sample> sample =
        CompletableFuture.allOf(agents.toArray(CompletableFuture[]::new))
            .thenCombine(
                dialer,
                (ignored, status) ->
                    new Progress.Sample(
                        Duration.between(startedAt, clock.instant()),
                        status,
                        agents.stream()
                            .map(CompletableFuture::join)
                            .filter(a -> a != null)
                            .toList(),
                        leadsImported.getAsInt(),
                        options.leads()));
    getContext().pipeToSelf(sample, (s, failure) -> new Sampled(s, finishing));
  }
}
