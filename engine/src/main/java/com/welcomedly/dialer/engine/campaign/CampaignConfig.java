package com.welcomedly.dialer.engine.campaign;

import com.welcomedly.dialer.engine.CborSerializable;
import com.welcomedly.dialer.engine.compliance.AttemptCap;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a campaign is configured with. Immutable; {@link #problems()} lists every rule it
 * breaks, and the campaign refuses a config with any problem.
 *
 * @param connectDeadline how long an answered call may wait for an agent before it is abandoned
 * @param reservationTimeout how long a lead stays reserved without a dial result
 * @param callbackFallback how long an agent-only callback waits before anyone may take it (ZERO:
 *     never)
 * @param previewTimeout PREVIEW mode: how long an agent may hold an offered lead before it returns
 *     to the queue (null in configs stored before it existed: {@link #DEFAULT_PREVIEW_TIMEOUT})
 * @param agentless AGENTLESS mode: the message, trunk caps and keys (null for the other modes and
 *     in configs stored before it existed)
 */
public record CampaignConfig(
    Pacing pacing,
    Duration ringTimeout,
    Duration connectDeadline,
    String dialStringTemplate,
    String callerId,
    CallingWindow callingWindow,
    Duration postAbandonLockout,
    List<AttemptCap> attemptCaps,
    String safeHarborMessage,
    Amd amd,
    Duration wrapUpTimeout,
    String wrapUpTimeoutDisposition,
    Set<String> assignedAgents,
    List<Disposition> dispositions,
    Duration reservationTimeout,
    Duration callbackFallback,
    DialPolicy.NumberRotation numberRotation,
    Duration previewTimeout,
    Agentless agentless)
    implements CborSerializable {

  public enum DialMode {
    PREVIEW,
    PROGRESSIVE,
    POWER,
    PREDICTIVE,
    /** Voice broadcast: no agent dials; a key pressed during the message reaches one. */
    AGENTLESS
  }

  /** Which regulator's window the abandon rate is measured over. */
  public enum AbandonWindow {
    US_30_DAY,
    UK_24H,
    BOTH
  }

  /** What happens when answering-machine detection says "machine". */
  public enum MachineReaction {
    HANG_UP,
    LEAVE_MESSAGE,
    CONNECT_AGENT
  }

  /** The supervisor's pacing levers, changed as one unit by {@code Campaign.ChangePacing}. */
  public record Pacing(
      DialMode mode,
      double targetAbandonPercent,
      AbandonWindow abandonWindow,
      int maxLinesPerAgent,
      double powerRatio,
      int minReadyAgents)
      implements CborSerializable {

    public static Pacing defaults() {
      return new Pacing(DialMode.PROGRESSIVE, 3.0, AbandonWindow.US_30_DAY, 3, 1.5, 3);
    }

    List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (mode == null || abandonWindow == null) {
        problems.add("dial mode and abandon window are required");
      }
      if (targetAbandonPercent < 0 || targetAbandonPercent > 3) {
        problems.add("target abandon rate must be between 0 and 3 %");
      }
      if (maxLinesPerAgent < 1) {
        problems.add("max lines per agent must be at least 1");
      }
      if (powerRatio < 1 || powerRatio > maxLinesPerAgent) {
        problems.add("power ratio must be between 1 and max lines per agent");
      }
      if (minReadyAgents < 1) {
        problems.add("min ready agents must be at least 1");
      }
      return problems;
    }
  }

  public record Amd(boolean enabled, MachineReaction machineReaction) implements CborSerializable {}

  /**
   * An AGENTLESS (voice-broadcast) campaign's own settings. Answering-machine detection and what to
   * do with a machine come from {@link #amd()}: LEAVE_MESSAGE plays the message after the beep,
   * HANG_UP hangs up.
   *
   * @param message the sound the callee hears (a file name under the PBX's sounds, no extension)
   * @param callsPerSecond the trunk's calls-per-second cap for this campaign (token bucket)
   * @param maxConcurrentCalls the most calls of this campaign up at once, ringing or answered
   * @param transferKey the DTMF key that reaches an agent (default 1)
   * @param optOutKey the DTMF key that puts the number on the do-not-call list (default 9)
   */
  public record Agentless(
      String message,
      double callsPerSecond,
      int maxConcurrentCalls,
      String transferKey,
      String optOutKey)
      implements CborSerializable {
    public static final String DEFAULT_TRANSFER_KEY = "1";
    public static final String DEFAULT_OPT_OUT_KEY = "9";

    public Agentless {
      transferKey = transferKey == null ? DEFAULT_TRANSFER_KEY : transferKey;
      optOutKey = optOutKey == null ? DEFAULT_OPT_OUT_KEY : optOutKey;
    }

    /** The default broadcast: the shipped message, 1 call per second, 10 calls at once. */
    public static Agentless defaults() {
      return new Agentless("agentless-default", 1.0, 10, DEFAULT_TRANSFER_KEY, DEFAULT_OPT_OUT_KEY);
    }

    List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (message == null || !message.matches("[A-Za-z0-9_/.-]+")) {
        problems.add("agentless message must be a sound file name (letters, digits, _ - . /)");
      }
      if (!(callsPerSecond > 0) || callsPerSecond > 1000) {
        problems.add("agentless calls per second must be above 0 and at most 1000");
      }
      if (maxConcurrentCalls < 1) {
        problems.add("agentless max concurrent calls must be at least 1");
      }
      if (!DTMF_KEY.matcher(transferKey).matches() || !DTMF_KEY.matcher(optOutKey).matches()) {
        problems.add("agentless transfer and opt-out keys must each be one of 0-9, * or #");
      } else if (transferKey.equals(optOutKey)) {
        problems.add("agentless transfer and opt-out keys must differ");
      }
      return problems;
    }
  }

  private static final java.util.regex.Pattern DTMF_KEY =
      java.util.regex.Pattern.compile("[0-9*#]");

  public static final Duration MIN_RING_TIMEOUT = Duration.ofSeconds(15);

  public static final Duration DEFAULT_PREVIEW_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration MIN_PREVIEW_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration MAX_PREVIEW_TIMEOUT = Duration.ofMinutes(10);

  public CampaignConfig {
    // Configs journalled before PREVIEW dialing existed carry no timeout: they get the default.
    previewTimeout = previewTimeout == null ? DEFAULT_PREVIEW_TIMEOUT : previewTimeout;
    attemptCaps = List.copyOf(attemptCaps);
    assignedAgents = Set.copyOf(assignedAgents);
    dispositions = List.copyOf(dispositions);
  }

  /** A valid config with the regulatory defaults; the caller supplies the trunk. */
  public static CampaignConfig defaults(String dialStringTemplate, String callerId) {
    DialPolicy standard = DialPolicy.standard();
    return new CampaignConfig(
        Pacing.defaults(),
        Duration.ofSeconds(20),
        Duration.ofSeconds(2),
        dialStringTemplate,
        callerId,
        CallingWindow.standard(),
        standard.postAbandonLockout(),
        standard.attemptCaps(),
        "safe-harbor-default",
        new Amd(false, MachineReaction.HANG_UP),
        Duration.ofSeconds(60),
        "HUNG_UP",
        Set.of(),
        Disposition.DEFAULTS,
        standard.reservationTimeout(),
        standard.callbackFallback(),
        standard.numberRotation(),
        DEFAULT_PREVIEW_TIMEOUT,
        null);
  }

  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (pacing == null) {
      problems.add("pacing is required");
    } else {
      problems.addAll(pacing.problems());
    }
    if (ringTimeout == null || ringTimeout.compareTo(MIN_RING_TIMEOUT) < 0) {
      problems.add("ring timeout must be at least 15 s");
    }
    if (connectDeadline == null || connectDeadline.isNegative() || connectDeadline.isZero()) {
      problems.add("connect deadline must be positive");
    }
    if (dialStringTemplate == null || !dialStringTemplate.contains("{number}")) {
      problems.add("dial string template must contain {number}");
    }
    if (callerId == null || callerId.isBlank()) {
      problems.add("caller ID is required");
    }
    if (callingWindow == null) {
      problems.add("calling window is required");
    } else {
      problems.addAll(callingWindow.problems());
    }
    if (postAbandonLockout == null || postAbandonLockout.isNegative()) {
      problems.add("post-abandon lockout must not be negative");
    }
    for (AttemptCap cap : attemptCaps) {
      if (cap.maxAttempts() < 1
          || cap.window() == null
          || cap.window().compareTo(Duration.ZERO) <= 0) {
        problems.add("attempt caps need max >= 1 and a positive window");
      }
    }
    if (amd == null || (amd.enabled() && amd.machineReaction() == null)) {
      problems.add("AMD settings need a machine reaction when enabled");
    }
    if (wrapUpTimeout == null || wrapUpTimeout.compareTo(Duration.ZERO) <= 0) {
      problems.add("wrap-up timeout must be positive");
    }
    problems.addAll(dispositionProblems());
    if (reservationTimeout == null || reservationTimeout.compareTo(Duration.ZERO) <= 0) {
      problems.add("reservation timeout must be positive");
    }
    if (callbackFallback == null || callbackFallback.isNegative()) {
      problems.add("callback fallback must not be negative");
    }
    if (numberRotation == null) {
      problems.add("number rotation is required");
    }
    if (previewTimeout.compareTo(MIN_PREVIEW_TIMEOUT) < 0
        || previewTimeout.compareTo(MAX_PREVIEW_TIMEOUT) > 0) {
      problems.add("preview timeout must be between 5 and 600 s");
    }
    problems.addAll(agentlessProblems());
    return problems;
  }

  private List<String> agentlessProblems() {
    if (pacing == null || pacing.mode() != DialMode.AGENTLESS) {
      return List.of();
    }
    if (agentless == null) {
      return List.of("an AGENTLESS campaign needs its agentless settings (message, caps, keys)");
    }
    List<String> problems = new ArrayList<>(agentless.problems());
    if (amd != null && amd.enabled() && amd.machineReaction() == MachineReaction.CONNECT_AGENT) {
      problems.add(
          "an AGENTLESS campaign leaves a message or hangs up on a machine, never connects an agent");
    }
    for (String required :
        List.of(Disposition.MESSAGE_PLAYED, Disposition.MESSAGE_LEFT, Disposition.DNC_REQUEST)) {
      if (disposition(required).isEmpty()) {
        problems.add("an AGENTLESS disposition set must contain " + required);
      }
    }
    disposition(Disposition.DNC_REQUEST)
        .filter(d -> !d.dnc())
        .ifPresent(d -> problems.add("disposition DNC_REQUEST must carry the DNC flag"));
    return problems;
  }

  /** True for a voice-broadcast campaign with its settings. */
  public boolean dialsAgentless() {
    return pacing != null && pacing.mode() == DialMode.AGENTLESS && agentless != null;
  }

  private List<String> dispositionProblems() {
    List<String> problems = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    for (Disposition d : dispositions) {
      String problem = d.problem();
      if (problem != null) {
        problems.add(problem);
      } else if (!codes.add(d.code())) {
        problems.add("disposition " + d.code() + " is defined twice");
      }
    }
    for (String required :
        List.of(
            Disposition.NO_ANSWER,
            Disposition.BUSY,
            Disposition.MACHINE,
            Disposition.DROPPED,
            Disposition.FAILED,
            Disposition.INVALID_NUMBER)) {
      if (!codes.contains(required)) {
        problems.add("disposition set must contain the system code " + required);
      }
    }
    if (wrapUpTimeoutDisposition == null || !codes.contains(wrapUpTimeoutDisposition)) {
      problems.add("wrap-up timeout disposition must be in the disposition set");
    }
    return problems;
  }

  public Optional<Disposition> disposition(String code) {
    return dispositions.stream().filter(d -> d.code().equals(code)).findFirst();
  }

  /** The rules a lead enforces, to be carried in {@code Lead.ReserveForDial}. */
  public DialPolicy dialPolicy() {
    return new DialPolicy(
        callingWindow,
        attemptCaps,
        postAbandonLockout,
        reservationTimeout,
        numberRotation,
        callbackFallback);
  }

  /** The dial string for one number, e.g. {@code PJSIP/+15551234567@carrier}. */
  public String dialString(String e164) {
    return dialStringTemplate.replace("{number}", e164);
  }

  public CampaignConfig withPacing(Pacing newPacing) {
    return toBuilder().pacing(newPacing).build();
  }

  public CampaignConfig withRingTimeout(Duration newRingTimeout) {
    return toBuilder().ringTimeout(newRingTimeout).build();
  }

  public CampaignConfig withAssignedAgents(Set<String> agents) {
    return toBuilder().assignedAgents(agents).build();
  }

  public CampaignConfig withDispositions(List<Disposition> newDispositions) {
    return toBuilder().dispositions(newDispositions).build();
  }

  /** A copy to change a few fields of, e.g. {@code defaults(..).toBuilder().amd(..).build()}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Mutable only while a config is being derived from another; {@link #build} validates nothing.
   */
  public static final class Builder {
    private Pacing pacing;
    private Duration ringTimeout;
    private Duration connectDeadline;
    private String dialStringTemplate;
    private String callerId;
    private CallingWindow callingWindow;
    private Duration postAbandonLockout;
    private List<AttemptCap> attemptCaps;
    private String safeHarborMessage;
    private Amd amd;
    private Duration wrapUpTimeout;
    private String wrapUpTimeoutDisposition;
    private Set<String> assignedAgents;
    private List<Disposition> dispositions;
    private Duration reservationTimeout;
    private Duration callbackFallback;
    private DialPolicy.NumberRotation numberRotation;
    private Duration previewTimeout;
    private Agentless agentless;

    private Builder(CampaignConfig from) {
      pacing = from.pacing;
      ringTimeout = from.ringTimeout;
      connectDeadline = from.connectDeadline;
      dialStringTemplate = from.dialStringTemplate;
      callerId = from.callerId;
      callingWindow = from.callingWindow;
      postAbandonLockout = from.postAbandonLockout;
      attemptCaps = from.attemptCaps;
      safeHarborMessage = from.safeHarborMessage;
      amd = from.amd;
      wrapUpTimeout = from.wrapUpTimeout;
      wrapUpTimeoutDisposition = from.wrapUpTimeoutDisposition;
      assignedAgents = from.assignedAgents;
      dispositions = from.dispositions;
      reservationTimeout = from.reservationTimeout;
      callbackFallback = from.callbackFallback;
      numberRotation = from.numberRotation;
      previewTimeout = from.previewTimeout;
      agentless = from.agentless;
    }

    public Builder pacing(Pacing value) {
      pacing = value;
      return this;
    }

    public Builder ringTimeout(Duration value) {
      ringTimeout = value;
      return this;
    }

    public Builder connectDeadline(Duration value) {
      connectDeadline = value;
      return this;
    }

    public Builder dialStringTemplate(String value) {
      dialStringTemplate = value;
      return this;
    }

    public Builder callerId(String value) {
      callerId = value;
      return this;
    }

    public Builder callingWindow(CallingWindow value) {
      callingWindow = value;
      return this;
    }

    public Builder postAbandonLockout(Duration value) {
      postAbandonLockout = value;
      return this;
    }

    public Builder attemptCaps(List<AttemptCap> value) {
      attemptCaps = value;
      return this;
    }

    public Builder safeHarborMessage(String value) {
      safeHarborMessage = value;
      return this;
    }

    public Builder amd(Amd value) {
      amd = value;
      return this;
    }

    public Builder wrapUpTimeout(Duration value) {
      wrapUpTimeout = value;
      return this;
    }

    public Builder wrapUpTimeoutDisposition(String value) {
      wrapUpTimeoutDisposition = value;
      return this;
    }

    public Builder assignedAgents(Set<String> value) {
      assignedAgents = value;
      return this;
    }

    public Builder dispositions(List<Disposition> value) {
      dispositions = value;
      return this;
    }

    public Builder reservationTimeout(Duration value) {
      reservationTimeout = value;
      return this;
    }

    public Builder callbackFallback(Duration value) {
      callbackFallback = value;
      return this;
    }

    public Builder numberRotation(DialPolicy.NumberRotation value) {
      numberRotation = value;
      return this;
    }

    public Builder previewTimeout(Duration value) {
      previewTimeout = value;
      return this;
    }

    public Builder agentless(Agentless value) {
      agentless = value;
      return this;
    }

    public CampaignConfig build() {
      return new CampaignConfig(
          pacing,
          ringTimeout,
          connectDeadline,
          dialStringTemplate,
          callerId,
          callingWindow,
          postAbandonLockout,
          attemptCaps,
          safeHarborMessage,
          amd,
          wrapUpTimeout,
          wrapUpTimeoutDisposition,
          assignedAgents,
          dispositions,
          reservationTimeout,
          callbackFallback,
          numberRotation,
          previewTimeout,
          agentless);
    }
  }
}
