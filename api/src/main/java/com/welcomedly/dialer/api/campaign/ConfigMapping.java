package com.welcomedly.dialer.api.campaign;

import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.api.campaign.CampaignRoutes.AgentlessDto;
import com.welcomedly.dialer.api.campaign.CampaignRoutes.AmdDto;
import com.welcomedly.dialer.api.campaign.CampaignRoutes.AttemptCapDto;
import com.welcomedly.dialer.api.campaign.CampaignRoutes.ConfigDto;
import com.welcomedly.dialer.api.campaign.CampaignRoutes.DispositionDto;
import com.welcomedly.dialer.api.campaign.CampaignRoutes.HoursDto;
import com.welcomedly.dialer.api.campaign.CampaignRoutes.PacingDto;
import com.welcomedly.dialer.api.campaign.CampaignRoutes.RetryDto;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.CampaignConfig.Pacing;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.compliance.AttemptCap;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns the campaign JSON DTOs into engine values and back. Parsing collects field-level errors
 * instead of throwing, so one 400 lists everything wrong with a request; missing fields take the
 * values of {@link CampaignConfig#defaults}. Field names are relative to the config object; the
 * caller adds its own prefix ({@code config.} in a create body).
 */
final class ConfigMapping {

  private ConfigMapping() {}

  /** The config a DTO describes, or empty with {@code errors} filled. */
  static Optional<CampaignConfig> toConfig(ConfigDto dto, String prefix, List<FieldError> errors) {
    int before = errors.size();
    ConfigDto c = dto == null ? emptyConfig() : dto;
    String template = required(c.dialStringTemplate(), prefix + "dialStringTemplate", errors);
    String callerId = required(c.callerId(), prefix + "callerId", errors);
    CampaignConfig d = CampaignConfig.defaults(template, callerId);
    Pacing pacing = mergePacing(c.pacing(), d.pacing(), prefix + "pacing.", errors);
    Duration ring = or(c.ringTimeoutSeconds(), Duration::ofSeconds, d.ringTimeout());
    Duration connect = or(c.connectDeadlineMs(), Duration::ofMillis, d.connectDeadline());
    CampaignConfig config =
        new CampaignConfig(
            pacing,
            checked(c.ringTimeoutSeconds(), ring, prefix + "ringTimeoutSeconds", errors),
            checked(c.connectDeadlineMs(), connect, prefix + "connectDeadlineMs", errors),
            template,
            callerId,
            callingWindow(c.callingWindow(), d.callingWindow(), prefix + "callingWindow", errors),
            checked(
                c.postAbandonLockoutHours(),
                or(c.postAbandonLockoutHours(), Duration::ofHours, d.postAbandonLockout()),
                prefix + "postAbandonLockoutHours",
                errors),
            attemptCaps(c.attemptCaps(), d.attemptCaps(), prefix + "attemptCaps", errors),
            c.safeHarborMessage() == null ? d.safeHarborMessage() : c.safeHarborMessage(),
            amd(c.amd(), d.amd(), prefix + "amd.", errors),
            checked(
                c.wrapUpTimeoutSeconds(),
                or(c.wrapUpTimeoutSeconds(), Duration::ofSeconds, d.wrapUpTimeout()),
                prefix + "wrapUpTimeoutSeconds",
                errors),
            c.wrapUpTimeoutDisposition() == null
                ? d.wrapUpTimeoutDisposition()
                : c.wrapUpTimeoutDisposition(),
            assignedAgents(c.assignedAgents(), prefix + "assignedAgents", errors),
            dispositions(c.dispositions(), d.dispositions(), prefix + "dispositions", errors),
            checked(
                c.reservationTimeoutSeconds(),
                or(c.reservationTimeoutSeconds(), Duration::ofSeconds, d.reservationTimeout()),
                prefix + "reservationTimeoutSeconds",
                errors),
            checked(
                c.callbackFallbackMinutes(),
                or(c.callbackFallbackMinutes(), Duration::ofMinutes, d.callbackFallback()),
                prefix + "callbackFallbackMinutes",
                errors),
            parseEnum(
                    c.numberRotation(),
                    DialPolicy.NumberRotation.class,
                    prefix + "numberRotation",
                    errors)
                .orElse(d.numberRotation()),
            checked(
                c.previewTimeoutSeconds(),
                or(c.previewTimeoutSeconds(), Duration::ofSeconds, d.previewTimeout()),
                prefix + "previewTimeoutSeconds",
                errors),
            agentless(c.agentless(), pacing.mode(), prefix + "agentless.", errors));
    if (errors.size() > before) {
      return Optional.empty();
    }
    errors.addAll(problemFields(config.problems(), prefix));
    return errors.size() > before ? Optional.empty() : Optional.of(config);
  }

  /** {@code base} with the fields the DTO gives replaced; the PATCH and create share it. */
  static Pacing mergePacing(PacingDto dto, Pacing base, String prefix, List<FieldError> errors) {
    if (dto == null) {
      return base;
    }
    return new Pacing(
        parseEnum(dto.mode(), CampaignConfig.DialMode.class, prefix + "mode", errors)
            .orElse(base.mode()),
        nonNegative(
            dto.targetAbandonPercent(),
            base.targetAbandonPercent(),
            prefix + "targetAbandonPercent",
            errors),
        parseEnum(
                dto.abandonWindow(),
                CampaignConfig.AbandonWindow.class,
                prefix + "abandonWindow",
                errors)
            .orElse(base.abandonWindow()),
        nonNegative(
                dto.maxLinesPerAgent(),
                base.maxLinesPerAgent(),
                prefix + "maxLinesPerAgent",
                errors)
            .intValue(),
        nonNegative(dto.powerRatio(), base.powerRatio(), prefix + "powerRatio", errors),
        nonNegative(dto.minReadyAgents(), base.minReadyAgents(), prefix + "minReadyAgents", errors)
            .intValue());
  }

  /**
   * Maps the engine's problem texts ({@link CampaignConfig#problems()}) to the DTO field they are
   * about. The engine speaks sentences, not paths, so this table follows its wording; an unmatched
   * problem still reaches the client, on the config object itself.
   */
  static List<FieldError> problemFields(List<String> problems, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    for (String problem : problems) {
      String field = fieldOf(problem);
      // A problem no table entry names is about the config as a whole.
      errors.add(
          new FieldError(
              field.isEmpty()
                  ? (prefix.isEmpty() ? "config" : prefix.replaceAll("\\.$", ""))
                  : prefix + field,
              problem));
    }
    return errors;
  }

  private static final Map<String, String> PROBLEM_FIELDS = problemTable();

  private static Map<String, String> problemTable() {
    // Ordered: "wrap-up timeout disposition" must win over "wrap-up timeout".
    Map<String, String> table = new LinkedHashMap<>();
    table.put("dial mode", "pacing.mode");
    table.put("target abandon", "pacing.targetAbandonPercent");
    table.put("max lines per agent", "pacing.maxLinesPerAgent");
    table.put("power ratio", "pacing.powerRatio");
    table.put("min ready agents", "pacing.minReadyAgents");
    table.put("pacing", "pacing");
    table.put("ring timeout", "ringTimeoutSeconds");
    table.put("connect deadline", "connectDeadlineMs");
    table.put("dial string template", "dialStringTemplate");
    table.put("caller ID", "callerId");
    table.put("post-abandon lockout", "postAbandonLockoutHours");
    table.put("attempt caps", "attemptCaps");
    table.put("AMD", "amd.machineReaction");
    table.put("wrap-up timeout disposition", "wrapUpTimeoutDisposition");
    table.put("wrap-up timeout", "wrapUpTimeoutSeconds");
    table.put("disposition", "dispositions");
    table.put("a disposition", "dispositions");
    table.put("reservation timeout", "reservationTimeoutSeconds");
    table.put("callback fallback", "callbackFallbackMinutes");
    table.put("number rotation", "numberRotation");
    table.put("preview timeout", "previewTimeoutSeconds");
    table.put("agentless message", "agentless.message");
    table.put("agentless calls per second", "agentless.callsPerSecond");
    table.put("agentless max concurrent calls", "agentless.maxConcurrentCalls");
    table.put("agentless transfer and opt-out keys", "agentless.transferKey");
    table.put("an AGENTLESS campaign needs", "agentless");
    table.put("an AGENTLESS campaign leaves", "amd.machineReaction");
    table.put("an AGENTLESS disposition set", "dispositions");
    return table;
  }

  private static String fieldOf(String problem) {
    if (problem.startsWith("calling window for ")) {
      String day = problem.substring("calling window for ".length()).split(" ")[0];
      return "callingWindow." + day;
    }
    return PROBLEM_FIELDS.entrySet().stream()
        .filter(e -> problem.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse("");
  }

  // ---- domain -> DTO ----

  static ConfigDto toDto(CampaignConfig c) {
    Map<String, HoursDto> window = new LinkedHashMap<>();
    for (DayOfWeek day : DayOfWeek.values()) {
      CallingWindow.Hours hours = c.callingWindow().days().get(day);
      if (hours != null) {
        window.put(day.name(), new HoursDto(hours.start().toString(), hours.end().toString()));
      }
    }
    return new ConfigDto(
        toDto(c.pacing()),
        (int) c.ringTimeout().toSeconds(),
        c.connectDeadline().toMillis(),
        c.dialStringTemplate(),
        c.callerId(),
        window,
        (int) c.postAbandonLockout().toHours(),
        c.attemptCaps().stream()
            .map(cap -> new AttemptCapDto(cap.maxAttempts(), (int) cap.window().toDays()))
            .toList(),
        c.safeHarborMessage(),
        new AmdDto(
            c.amd().enabled(),
            c.amd().machineReaction() == null ? null : c.amd().machineReaction().name()),
        (int) c.wrapUpTimeout().toSeconds(),
        c.wrapUpTimeoutDisposition(),
        new TreeSet<>(c.assignedAgents()),
        c.dispositions().stream().map(ConfigMapping::toDto).toList(),
        (int) c.reservationTimeout().toSeconds(),
        (int) c.callbackFallback().toMinutes(),
        c.numberRotation().name(),
        (int) c.previewTimeout().toSeconds(),
        c.agentless() == null
            ? null
            : new AgentlessDto(
                c.agentless().message(),
                c.agentless().callsPerSecond(),
                c.agentless().maxConcurrentCalls(),
                c.agentless().transferKey(),
                c.agentless().optOutKey()));
  }

  static PacingDto toDto(Pacing p) {
    return new PacingDto(
        p.mode().name(),
        p.targetAbandonPercent(),
        p.abandonWindow().name(),
        p.maxLinesPerAgent(),
        p.powerRatio(),
        p.minReadyAgents());
  }

  private static DispositionDto toDto(Disposition d) {
    return new DispositionDto(
        d.code(),
        d.label(),
        d.category().name(),
        d.humanAnswered(),
        d.contact(),
        d.success(),
        d.dnc(),
        d.callback(),
        d.finalOutcome(),
        d.machine(),
        d.retry() == null
            ? null
            : new RetryDto(d.retry().delay().toMinutes(), d.retry().maxAttempts()));
  }

  // ---- parts ----

  private static CallingWindow callingWindow(
      Map<String, HoursDto> days, CallingWindow fallback, String field, List<FieldError> errors) {
    if (days == null) {
      return fallback;
    }
    // A given window replaces the default entirely: a weekday left out is closed.
    Map<DayOfWeek, CallingWindow.Hours> parsed = new EnumMap<>(DayOfWeek.class);
    days.forEach(
        (name, hours) -> {
          Optional<DayOfWeek> day = parseEnum(name, DayOfWeek.class, field + "." + name, errors);
          if (day.isEmpty()) {
            return;
          }
          String dayField = field + "." + day.get();
          if (hours == null) {
            errors.add(new FieldError(dayField, "needs a start and an end"));
            return;
          }
          Optional<LocalTime> start = time(hours.start(), dayField + ".start", errors);
          Optional<LocalTime> end = time(hours.end(), dayField + ".end", errors);
          if (start.isPresent() && end.isPresent()) {
            parsed.put(day.get(), new CallingWindow.Hours(start.get(), end.get()));
          }
        });
    return new CallingWindow(parsed);
  }

  private static Optional<LocalTime> time(String text, String field, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      errors.add(new FieldError(field, "is required, e.g. \"08:00\""));
      return Optional.empty();
    }
    try {
      return Optional.of(LocalTime.parse(text.trim()));
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, "must be a time of day like \"08:00\""));
      return Optional.empty();
    }
  }

  private static List<AttemptCap> attemptCaps(
      List<AttemptCapDto> caps, List<AttemptCap> fallback, String field, List<FieldError> errors) {
    if (caps == null) {
      return fallback;
    }
    List<AttemptCap> parsed = new ArrayList<>();
    for (int i = 0; i < caps.size(); i++) {
      AttemptCapDto cap = caps.get(i);
      String at = field + "[" + i + "]";
      if (cap == null) {
        errors.add(new FieldError(at, "must be an object {max, windowDays}"));
        continue;
      }
      Integer max = atLeastOne(cap.max(), at + ".max", errors);
      Integer days = atLeastOne(cap.windowDays(), at + ".windowDays", errors);
      if (max != null && days != null) {
        parsed.add(AttemptCap.of(max, Duration.ofDays(days)));
      }
    }
    return parsed;
  }

  private static CampaignConfig.Amd amd(
      AmdDto amd, CampaignConfig.Amd fallback, String prefix, List<FieldError> errors) {
    if (amd == null) {
      return fallback;
    }
    return new CampaignConfig.Amd(
        amd.enabled() != null ? amd.enabled() : fallback.enabled(),
        parseEnum(
                amd.machineReaction(),
                CampaignConfig.MachineReaction.class,
                prefix + "machineReaction",
                errors)
            .orElse(fallback.machineReaction()));
  }

  /**
   * The AGENTLESS settings: the given fields over the defaults; none given keeps an AGENTLESS
   * campaign on the defaults and any other campaign without them.
   */
  private static CampaignConfig.Agentless agentless(
      AgentlessDto dto, CampaignConfig.DialMode mode, String prefix, List<FieldError> errors) {
    CampaignConfig.Agentless d = CampaignConfig.Agentless.defaults();
    if (dto == null) {
      return mode == CampaignConfig.DialMode.AGENTLESS ? d : null;
    }
    return new CampaignConfig.Agentless(
        dto.message() == null ? d.message() : dto.message(),
        nonNegative(dto.callsPerSecond(), d.callsPerSecond(), prefix + "callsPerSecond", errors)
            .doubleValue(),
        nonNegative(
                dto.maxConcurrentCalls(),
                d.maxConcurrentCalls(),
                prefix + "maxConcurrentCalls",
                errors)
            .intValue(),
        dto.transferKey(),
        dto.optOutKey());
  }

  private static Set<String> assignedAgents(
      Set<String> agents, String field, List<FieldError> errors) {
    if (agents == null) {
      return Set.of();
    }
    if (agents.stream().anyMatch(a -> a == null || a.isBlank())) {
      errors.add(new FieldError(field, "agent ids must not be empty"));
      return Set.of();
    }
    return agents;
  }

  private static List<Disposition> dispositions(
      List<DispositionDto> given,
      List<Disposition> fallback,
      String field,
      List<FieldError> errors) {
    if (given == null) {
      return fallback;
    }
    List<Disposition> parsed = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      DispositionDto d = given.get(i);
      String at = field + "[" + i + "]";
      if (d == null) {
        errors.add(new FieldError(at, "must be an object"));
        continue;
      }
      String code = required(d.code(), at + ".code", errors);
      Optional<Disposition.Category> category =
          parseEnum(d.category(), Disposition.Category.class, at + ".category", errors);
      if (d.category() == null) {
        errors.add(
            new FieldError(
                at + ".category",
                "is required, one of " + Arrays.toString(Disposition.Category.values())));
      }
      Disposition.RetryRule retry = retry(d.retry(), at + ".retry", errors);
      if (code != null && category.isPresent()) {
        parsed.add(
            new Disposition(
                code,
                d.label() == null ? code : d.label(),
                category.get(),
                flag(d.humanAnswered()),
                flag(d.contact()),
                flag(d.success()),
                flag(d.dnc()),
                flag(d.callback()),
                flag(d.finalOutcome()),
                flag(d.machine()),
                retry));
      }
    }
    return parsed;
  }

  private static Disposition.RetryRule retry(RetryDto retry, String field, List<FieldError> e) {
    if (retry == null) {
      return null;
    }
    Long delay = nonNegative(retry.delayMinutes(), 0L, field + ".delayMinutes", e);
    Integer max = atLeastOne(retry.maxAttempts(), field + ".maxAttempts", e);
    return max == null ? null : new Disposition.RetryRule(Duration.ofMinutes(delay), max);
  }

  // ---- scalars ----

  static <E extends Enum<E>> Optional<E> parseEnum(
      String text, Class<E> type, String field, List<FieldError> errors) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      errors.add(
          new FieldError(field, "must be one of " + Arrays.toString(type.getEnumConstants())));
      return Optional.empty();
    }
  }

  private static String required(String text, String field, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      errors.add(new FieldError(field, "is required"));
      return null;
    }
    return text;
  }

  private static <N extends Number> N nonNegative(
      N value, N fallback, String field, List<FieldError> errors) {
    if (value == null) {
      return fallback;
    }
    if (value.doubleValue() < 0) {
      errors.add(new FieldError(field, "must not be negative"));
      return fallback;
    }
    return value;
  }

  private static Integer atLeastOne(Integer value, String field, List<FieldError> errors) {
    if (value == null || value < 1) {
      errors.add(new FieldError(field, value == null ? "is required" : "must be at least 1"));
      return null;
    }
    return value;
  }

  /** The duration, unless the raw number was negative (then an error and the default). */
  private static Duration checked(
      Number raw, Duration value, String field, List<FieldError> errors) {
    if (raw != null && raw.doubleValue() < 0) {
      errors.add(new FieldError(field, "must not be negative"));
    }
    return value;
  }

  private static <N extends Number> Duration or(
      N value, Function<Long, Duration> unit, Duration fallback) {
    return value == null ? fallback : unit.apply(value.longValue());
  }

  private static boolean flag(Boolean value) {
    return value != null && value;
  }

  private static ConfigDto emptyConfig() {
    return new ConfigDto(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }
}
