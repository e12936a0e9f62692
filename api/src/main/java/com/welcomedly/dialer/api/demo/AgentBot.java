package com.welcomedly.dialer.api.demo;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * One simulated agent, doing what an agent's client does through the Agent entity: configure its
 * phone (an endpoint the simulator answers as an agent leg), log in, heartbeat, and after each call
 * wrap up for a while and submit a disposition, sometimes a callback, sometimes taking a break. The
 * dialer does the rest (reserve, connect, end). It watches its agent by polling {@code GetSummary},
 * as the dialer does; nothing here blocks.
 */
final class AgentBot extends AbstractBehavior<AgentBot.Command> {

  /** Node-local messages: a bot lives and dies with its demo. */
  interface Command extends NoSerializationVerificationNeeded {}

  private enum Tick implements Command {
    SET_UP,
    POLL,
    HEARTBEAT,
    BREAK_OVER,
    /** An answer that needs no action. */
    NOTHING
  }

  /** The demo is over: the bot leaves its agent as it is (the node is going down). */
  enum Stop implements Command {
    INSTANCE
  }

  private record SetUpDone(Throwable failure) implements Command {}

  private record Seen(Agent.Summary summary) implements Command {}

  private record WrapUpDone(Agent.CallRef call) implements Command {}

  private record Dispositioned(String code, Throwable failure) implements Command {}

  private static final Duration SET_UP_RETRY = Duration.ofSeconds(1);
  // Leave the disposition relay time to carry a callback before it is due.
  private static final Duration MIN_CALLBACK_DELAY = Duration.ofMinutes(1);

  private final String agentId;
  private final String campaignId;
  private final DemoOptions options;
  private final BotSettings settings;
  private final ActorRef<ProgressReporter.Command> reporter;
  private final TimerScheduler<Command> timers;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final SplittableRandom random;
  private final WeightedCodes codes;
  private String wrappingUp;
  private boolean settingUp;

  static Behavior<Command> create(
      String agentId,
      String campaignId,
      DemoOptions options,
      long seed,
      ActorRef<ProgressReporter.Command> reporter) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new AgentBot(ctx, timers, agentId, campaignId, options, seed, reporter)));
  }

  private AgentBot(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String agentId,
      String campaignId,
      DemoOptions options,
      long seed,
      ActorRef<ProgressReporter.Command> reporter) {
    super(context);
    this.agentId = agentId;
    this.campaignId = campaignId;
    this.options = options;
    this.settings = options.bots();
    this.reporter = reporter;
    this.timers = timers;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.askTimeout = context.getSystem().settings().config().getDuration("dialer.api.ask-timeout");
    this.random = new SplittableRandom(seed);
    this.codes = new WeightedCodes(settings.dispositionWeights());
    context.getSelf().tell(Tick.SET_UP);
  }

  /** A phone the simulator answers as an agent (anything originated into the agent context). */
  static String phoneEndpoint(String agentId) {
    return "PJSIP/" + agentId;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.SET_UP, this::onSetUp)
        .onMessage(SetUpDone.class, this::onSetUpDone)
        .onMessageEquals(Tick.POLL, this::onPoll)
        .onMessageEquals(Tick.HEARTBEAT, this::onHeartbeat)
        .onMessage(Seen.class, this::onSeen)
        .onMessage(WrapUpDone.class, this::onWrapUpDone)
        .onMessage(Dispositioned.class, this::onDispositioned)
        .onMessageEquals(Tick.BREAK_OVER, this::onBreakOver)
        .onMessageEquals(Tick.NOTHING, () -> this)
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Command> onSetUp() {
    if (settingUp) {
      return this;
    }
    settingUp = true;
    CompletionStage<Agent.Summary> setUp =
        agent(
                r ->
                    new Agent.Configure(
                        agentId, phoneEndpoint(agentId), Set.of(campaignId), DemoCampaign.BY, r))
            .thenCompose(
                configured ->
                    configured.status() == Agent.Status.LOGGED_OUT
                        ? agent(r -> new Agent.LogIn(settings.heartbeatTimeout(), r))
                        : CompletableFuture.completedFuture(configured));
    getContext().pipeToSelf(setUp, (summary, failure) -> new SetUpDone(failure));
    return this;
  }

  private Behavior<Command> onSetUpDone(SetUpDone done) {
    settingUp = false;
    if (done.failure() != null) {
      // Right after start the shards may not answer yet: try again shortly.
      getContext()
          .getLog()
          .debug("Bot {} not set up yet: {}", agentId, done.failure().getMessage());
      timers.startSingleTimer(Tick.SET_UP, SET_UP_RETRY);
      return this;
    }
    timers.startTimerWithFixedDelay(Tick.POLL, settings.pollInterval());
    timers.startTimerWithFixedDelay(Tick.HEARTBEAT, settings.heartbeatInterval());
    return this;
  }

  private Behavior<Command> onPoll() {
    getContext()
        .pipeToSelf(
            sharding.entityRefFor(Agent.ENTITY_KEY, agentId).ask(Agent.GetSummary::new, askTimeout),
            (summary, failure) -> failure == null ? new Seen(summary) : Tick.NOTHING);
    return this;
  }

  private Behavior<Command> onHeartbeat() {
    getContext()
        .pipeToSelf(
            agent(Agent.Heartbeat::new),
            // Refused only when logged out (the node restarted its agent, say): log in again.
            (summary, failure) -> failure == null ? Tick.NOTHING : Tick.SET_UP);
    return this;
  }

  private Behavior<Command> onSeen(Seen seen) {
    Agent.Summary agent = seen.summary();
    switch (agent.status()) {
      case WRAP_UP -> {
        Agent.CallRef call = agent.call();
        if (call != null && !call.attemptId().equals(wrappingUp)) {
          wrappingUp = call.attemptId();
          timers.startSingleTimer(
              "wrap-" + call.attemptId(), new WrapUpDone(call), options.real(wrapUpTime()));
        }
      }
      case PAUSED -> {
        // A lost heartbeat (a long GC pause, say) pauses the agent: a person would click Ready.
        if (agent.pauseReason() == Agent.PauseReason.DISCONNECTED) {
          tellAgent(Agent.Ready::new);
        }
      }
      case LOGGED_OUT -> getContext().getSelf().tell(Tick.SET_UP);
      default -> {
        // READY, RESERVED, ON_CALL: the dialer's move.
      }
    }
    return this;
  }

  private Behavior<Command> onWrapUpDone(WrapUpDone done) {
    String code = codes.pick(random);
    boolean takeBreak = random.nextDouble() < settings.breakProbability();
    boolean agentOnly = random.nextDouble() < settings.callbackAgentOnlyShare();
    Agent.CallRef call = done.call();
    CompletionStage<LocalDateTime> callbackAt =
        code.equals("CALLBACK")
            ? callbackTime(call.leadId())
            : CompletableFuture.completedFuture(null);
    // Asking to pause during wrap-up makes the disposition end in PAUSED instead of READY.
    CompletionStage<?> before =
        takeBreak
            ? agent(r -> new Agent.Pause(Agent.PauseReason.BREAK, r))
            : CompletableFuture.completedFuture(null);
    CompletionStage<Agent.Summary> submitted =
        before
            .thenCombine(callbackAt, (ignored, at) -> at)
            .thenCompose(
                at ->
                    agent(
                        r ->
                            new Agent.SubmitDisposition(
                                call.attemptId(),
                                code,
                                "demo bot",
                                at,
                                at != null && agentOnly,
                                r)));
    getContext()
        .pipeToSelf(
            submitted,
            (summary, failure) -> {
              if (failure == null && summary.status() == Agent.Status.PAUSED) {
                timers.startSingleTimer(
                    Tick.BREAK_OVER,
                    options.real(Duration.ofSeconds(Math.round(settings.breakMinutes() * 60))));
              }
              return new Dispositioned(code, failure);
            });
    return this;
  }

  private Behavior<Command> onDispositioned(Dispositioned done) {
    if (done.failure() != null) {
      // The wrap-up timed out first (the campaign's timeout disposition applies): nothing to do.
      getContext()
          .getLog()
          .debug("Bot {} disposition refused: {}", agentId, done.failure().getMessage());
    } else {
      reporter.tell(new ProgressReporter.Dispositioned(done.code()));
    }
    return this;
  }

  private Behavior<Command> onBreakOver() {
    tellAgent(Agent.Ready::new);
    return this;
  }

  /** Simulated wrap-up time: lognormal around the configured median. */
  private Duration wrapUpTime() {
    double seconds =
        settings.wrapMedianSeconds() * Math.exp(settings.wrapSigma() * random.nextGaussian());
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** The callback's time on the customer's own clock, as an agent would enter it. */
  private CompletionStage<LocalDateTime> callbackTime(String leadId) {
    Duration delay = options.real(Duration.ofSeconds(Math.round(settings.callbackHours() * 3600)));
    Duration wait = delay.compareTo(MIN_CALLBACK_DELAY) < 0 ? MIN_CALLBACK_DELAY : delay;
    return sharding
        .entityRefFor(Lead.ENTITY_KEY, leadId)
        .ask(Lead.GetSummary::new, askTimeout)
        .thenApply(lead -> LocalDateTime.now(ZoneId.of(lead.timezone())).plus(wait));
  }

  private CompletionStage<Agent.Summary> agent(
      Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
    return sharding
        .entityRefFor(Agent.ENTITY_KEY, agentId)
        .askWithStatus(command::apply, askTimeout);
  }

  /** A step whose refusal needs no reaction: the next poll sees the agent as it is. */
  private void tellAgent(Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
    agent(command);
  }

  /** Disposition codes drawn by weight. */
  static final class WeightedCodes {
    private final String[] codes;
    private final double[] cumulative;

    WeightedCodes(Map<String, Integer> weights) {
      codes = weights.keySet().stream().sorted().toArray(String[]::new);
      cumulative = new double[codes.length];
      double sum = 0;
      for (int i = 0; i < codes.length; i++) {
        sum += weights.get(codes[i]);
        cumulative[i] = sum;
      }
      if (sum <= 0) {
        throw new IllegalArgumentException("disposition weights must not all be 0");
      }
    }

    String pick(SplittableRandom random) {
      double x = random.nextDouble() * cumulative[cumulative.length - 1];
      for (int i = 0; i < codes.length; i++) {
        if (x < cumulative[i]) {
          return codes[i];
        }
      }
      return codes[codes.length - 1];
    }
  }
}
