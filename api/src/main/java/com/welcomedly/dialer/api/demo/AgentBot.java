package com.welcomedly.dialer.api.demo;

import com.welcomedly.dialer.api.LoadShedding;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.api.agent.AgentCommands;
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
 * One simulated agent, doing what an agent's client does: configure its phone (an endpoint the
 * simulator answers as an agent leg), log in, heartbeat, and after each call wrap up for a while
 * and submit a disposition, sometimes a callback, sometimes taking a break. Its commands go through
 * the API's own command layer ({@link AgentCommands}, what the REST routes and the agent's
 * WebSocket run), so a node at its bound of changes in flight answers them 503 and the bot retries
 * after {@code Retry-After} with a little jitter, as a real client would. The dialer does the rest
 * (reserve, connect, end). It watches its agent by polling {@code GetSummary}; nothing here blocks.
 */
public final class AgentBot extends AbstractBehavior<AgentBot.Command> {

  /** Node-local messages: a bot lives and dies with its demo. */
  public interface Command extends NoSerializationVerificationNeeded {}

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

  /** {@code busy}: the node shed the change (503); {@code failure}: anything else went wrong. */
  private record SetUpDone(boolean busy, String failure) implements Command {}

  private record Seen(Agent.Summary summary) implements Command {}

  private record WrapUpDone(Agent.CallRef call) implements Command {}

  private record Dispositioned(WrapUpDone call, String code, AgentCommands.Outcome outcome)
      implements Command {}

  private record ReadyDone(AgentCommands.Outcome outcome) implements Command {}

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
  // Separate from `random` so the retries' jitter does not change the agents' choices.
  private final SplittableRandom jitter;
  private final AgentCommands commands;
  private final LoadShedding shedding;
  private String wrappingUp;
  private boolean settingUp;

  public static Behavior<Command> create(
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
    this.jitter = new SplittableRandom(~seed);
    this.commands = new AgentCommands(context.getSystem());
    this.shedding = LoadShedding.get(context.getSystem());
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
        .onMessage(ReadyDone.class, this::onReadyDone)
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
    // Configuring the phone is an admin's change (AgentRoutes sends it through the same bound).
    if (!shedding.tryEnter()) {
      getContext().getSelf().tell(new SetUpDone(true, null));
      return this;
    }
    CompletionStage<SetUpDone> setUp =
        agent(
                r ->
                    new Agent.Configure(
                        agentId, phoneEndpoint(agentId), Set.of(campaignId), DemoCampaign.BY, r))
            .whenComplete((configured, failure) -> shedding.exit())
            .thenCompose(
                configured ->
                    configured.status() == Agent.Status.LOGGED_OUT
                        ? commands
                            .logIn(agentId)
                            .thenApply(
                                outcome ->
                                    outcome.isOk()
                                        ? new SetUpDone(false, null)
                                        : new SetUpDone(busy(outcome), outcome.detail()))
                        : CompletableFuture.completedFuture(new SetUpDone(false, null)));
    getContext()
        .pipeToSelf(
            setUp,
            (done, failure) -> failure == null ? done : new SetUpDone(false, failure.getMessage()));
    return this;
  }

  private static boolean busy(AgentCommands.Outcome outcome) {
    return outcome != null && outcome.status().intValue() == 503;
  }

  /** When to try a shed change again: the Retry-After the API answers, plus up to a second. */
  private Duration retryAfter() {
    return Duration.ofSeconds(Problems.RETRY_AFTER_SECONDS).plusMillis(jitter.nextLong(1000));
  }

  private Behavior<Command> onSetUpDone(SetUpDone done) {
    settingUp = false;
    if (done.busy()) {
      timers.startSingleTimer(Tick.SET_UP, retryAfter());
      return this;
    }
    if (done.failure() != null) {
      // Right after start the shards may not answer yet: try again shortly.
      getContext().getLog().debug("Bot {} not set up yet: {}", agentId, done.failure());
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
            commands.heartbeat(agentId),
            // Refused only when logged out (the node restarted its agent, say): log in again.
            (outcome, failure) -> failure == null && outcome.isOk() ? Tick.NOTHING : Tick.SET_UP);
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
          commands.ready(agentId); // refused or shed: the next poll sees it PAUSED and asks again
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
            ? commands.pause(agentId, Agent.PauseReason.BREAK.name())
            : CompletableFuture.completedFuture(null);
    CompletionStage<AgentCommands.Outcome> submitted =
        before
            .thenCombine(callbackAt, (ignored, at) -> at)
            .thenCompose(
                at ->
                    commands.dispose(
                        agentId,
                        new AgentCommands.DispositionRequest(
                            call.attemptId(),
                            code,
                            "demo bot",
                            at == null ? null : at.toString(),
                            at != null && agentOnly)));
    getContext()
        .pipeToSelf(
            submitted,
            (outcome, failure) ->
                // A failed ask (null): treated like a refusal.
                new Dispositioned(done, code, failure == null ? outcome : null));
    return this;
  }

  private Behavior<Command> onDispositioned(Dispositioned done) {
    AgentCommands.Outcome outcome = done.outcome();
    if (outcome != null && outcome.isOk()) {
      reporter.tell(new ProgressReporter.Dispositioned(done.code()));
      if (outcome.summary().status() == Agent.Status.PAUSED) {
        timers.startSingleTimer(
            Tick.BREAK_OVER,
            options.real(Duration.ofSeconds(Math.round(settings.breakMinutes() * 60))));
      }
    } else if (busy(outcome)) {
      // Shed by the node: the same wrap-up again after Retry-After (a fresh choice of code).
      timers.startSingleTimer("wrap-" + done.call().call().attemptId(), done.call(), retryAfter());
    } else {
      // The wrap-up timed out first (the campaign's timeout disposition applies): nothing to do.
      getContext()
          .getLog()
          .debug(
              "Bot {} disposition refused: {}", agentId, outcome == null ? "" : outcome.detail());
    }
    return this;
  }

  private Behavior<Command> onBreakOver() {
    getContext()
        .pipeToSelf(
            commands.ready(agentId),
            (outcome, failure) -> new ReadyDone(failure == null ? outcome : null));
    return this;
  }

  private Behavior<Command> onReadyDone(ReadyDone done) {
    if (busy(done.outcome())) {
      timers.startSingleTimer(Tick.BREAK_OVER, retryAfter());
    }
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
