package com.welcomedly.dialer.api.campaign;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.patch;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.put;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.api.QueryParameters;
import com.welcomedly.dialer.api.RequestBodies;
import com.welcomedly.dialer.api.auth.AccessTokens;
import com.welcomedly.dialer.api.auth.Authenticator;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.CampaignHistory;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.projection.CampaignViewQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

/**
 * Campaigns ({@code /api/campaigns}): create, read, list, replace the config, change pacing (the
 * supervisor's lever), the lifecycle {@code start/pause/resume/finish} and the audit history.
 * Admins and supervisors manage campaigns; agents may read one.
 */
public final class CampaignRoutes {

  // ---- JSON DTOs ----

  /**
   * Create body; {@code id} optional (a UUID is generated), {@code config} as {@link ConfigDto}.
   */
  public record CreateCampaign(String id, String name, ConfigDto config) {}

  /** The pacing levers; every field optional in a PATCH (merged with the current pacing). */
  public record PacingDto(
      String mode,
      Double targetAbandonPercent,
      String abandonWindow,
      Integer maxLinesPerAgent,
      Double powerRatio,
      Integer minReadyAgents) {}

  /** Opening hours of one weekday, {@code "08:00"}-style local times. */
  public record HoursDto(String start, String end) {}

  public record AttemptCapDto(Integer max, Integer windowDays) {}

  public record AmdDto(Boolean enabled, String machineReaction) {}

  /** AGENTLESS (voice broadcast) settings; missing fields take their defaults. */
  public record AgentlessDto(
      String message,
      Double callsPerSecond,
      Integer maxConcurrentCalls,
      String transferKey,
      String optOutKey) {}

  public record RetryDto(Long delayMinutes, Integer maxAttempts) {}

  public record DispositionDto(
      String code,
      String label,
      String category,
      Boolean humanAnswered,
      Boolean contact,
      Boolean success,
      Boolean dnc,
      Boolean callback,
      Boolean finalOutcome,
      Boolean machine,
      RetryDto retry) {}

  /**
   * A whole campaign config. In requests only {@code dialStringTemplate} and {@code callerId} are
   * required; a missing field takes its default. A given {@code callingWindow} replaces the default
   * one entirely (weekdays left out are closed).
   */
  public record ConfigDto(
      PacingDto pacing,
      Integer ringTimeoutSeconds,
      Long connectDeadlineMs,
      String dialStringTemplate,
      String callerId,
      Map<String, HoursDto> callingWindow,
      Integer postAbandonLockoutHours,
      List<AttemptCapDto> attemptCaps,
      String safeHarborMessage,
      AmdDto amd,
      Integer wrapUpTimeoutSeconds,
      String wrapUpTimeoutDisposition,
      Set<String> assignedAgents,
      List<DispositionDto> dispositions,
      Integer reservationTimeoutSeconds,
      Integer callbackFallbackMinutes,
      String numberRotation,
      Integer previewTimeoutSeconds,
      AgentlessDto agentless) {}

  /** Optional body of pause and finish. */
  public record Reason(String reason) {}

  /** A campaign as its entity knows it. */
  public record CampaignView(
      String id,
      String name,
      String status,
      ConfigDto config,
      Instant createdAt,
      Instant updatedAt) {
    static CampaignView of(Campaign.Summary s) {
      return new CampaignView(
          s.campaignId(),
          s.name(),
          s.status().name(),
          ConfigMapping.toDto(s.config()),
          s.createdAt(),
          s.updatedAt());
    }
  }

  /** One row of a listing (from the read model, which may lag by a moment). */
  public record CampaignListItem(
      String id,
      String name,
      String status,
      String dialMode,
      Instant createdAt,
      Instant updatedAt) {}

  public record CampaignPage(List<CampaignListItem> items, long total, int limit, int offset) {}

  public record HistoryEntry(long sequenceNr, Instant at, String by, String type, String summary) {}

  public record History(String campaignId, List<HistoryEntry> changes) {}

  /** Ids are URL path segments and part of the persistence id, so they stay plain. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  static final int MAX_NAME_LENGTH = 255; // campaign_view.name
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final RequestBodies bodies;
  private final Authenticator authenticator;
  private final CampaignViewQuery viewQuery;
  private final CampaignHistory history;
  private final Duration askTimeout;

  public CampaignRoutes(ActorSystem<?> system, Authenticator authenticator) {
    this.system = system;
    this.mapper = Json.mapper(system);
    this.bodies = new RequestBodies(system);
    this.authenticator = authenticator;
    this.viewQuery = new CampaignViewQuery(JdbcPool.get(system));
    this.history = new CampaignHistory(system);
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
  }

  public Route routes() {
    return pathPrefix(
        "api",
        () ->
            pathPrefix(
                "campaigns",
                () ->
                    concat(
                        pathEnd(
                            () ->
                                concat(
                                    post(
                                        () ->
                                            staff(
                                                claims ->
                                                    body(
                                                        CreateCampaign.class,
                                                        false,
                                                        b -> create(claims, b)))),
                                    get(() -> staff(claims -> listing())))),
                        pathPrefix(PathMatchers.segment(), this::oneCampaign))));
  }

  private Route oneCampaign(String id) {
    return concat(
        pathEnd(
            () ->
                get(
                    () ->
                        authenticator.authenticated(
                            Authenticator.ANY_ROLE, claims -> known(id, () -> read(id))))),
        path(
            "config",
            () ->
                put(
                    () ->
                        staff(
                            claims ->
                                known(
                                    id,
                                    () ->
                                        body(
                                            ConfigDto.class,
                                            false,
                                            b -> updateConfig(claims, id, b)))))),
        path(
            "pacing",
            () ->
                patch(
                    () ->
                        staff(
                            claims ->
                                known(
                                    id,
                                    () ->
                                        body(
                                            PacingDto.class,
                                            false,
                                            b -> changePacing(claims, id, b)))))),
        path(
            "start",
            () -> post(() -> staff(claims -> known(id, () -> reply(askStart(id, claims)))))),
        path(
            "pause",
            () ->
                post(
                    () ->
                        staff(
                            claims ->
                                known(
                                    id,
                                    () ->
                                        body(
                                            Reason.class,
                                            true,
                                            b -> reply(askPause(id, reason(b), claims))))))),
        path(
            "resume",
            () -> post(() -> staff(claims -> known(id, () -> reply(askResume(id, claims)))))),
        path(
            "finish",
            () ->
                post(
                    () ->
                        staff(
                            claims ->
                                known(
                                    id,
                                    () ->
                                        body(
                                            Reason.class,
                                            true,
                                            b -> reply(askFinish(id, reason(b), claims))))))),
        path("history", () -> get(() -> staff(claims -> known(id, () -> readHistory(id))))));
  }

  // ---- handlers: validate, then ask ----

  private Route create(AccessTokens.Claims claims, CreateCampaign body) {
    List<FieldError> errors = new ArrayList<>();
    String id = body.id() == null ? UUID.randomUUID().toString() : body.id();
    if (!ID.matcher(id).matches()) {
      errors.add(new FieldError("id", "must be 1-64 letters, digits, '_', '.' or '-'"));
    }
    if (body.name() == null || body.name().isBlank()) {
      errors.add(new FieldError("name", "is required"));
    } else if (body.name().length() > MAX_NAME_LENGTH) {
      errors.add(new FieldError("name", "must be at most " + MAX_NAME_LENGTH + " characters"));
    }
    Optional<CampaignConfig> config = ConfigMapping.toConfig(body.config(), "config.", errors);
    if (!errors.isEmpty()) {
      return invalid("invalid campaign", errors);
    }
    return onSuccess(
        askCreate(id, body.name().trim(), config.get(), claims),
        reply ->
            reply.isSuccess()
                ? complete(
                    StatusCodes.CREATED,
                    List.of(Location.create("/api/campaigns/" + id)),
                    CampaignView.of(reply.getValue()),
                    Json.marshaller(system))
                : refused(reply));
  }

  private Route read(String id) {
    return onSuccess(
        askSummary(id),
        summary ->
            summary.config() == null
                ? notFound(id)
                : complete(StatusCodes.OK, CampaignView.of(summary), Json.marshaller(system)));
  }

  private Route updateConfig(AccessTokens.Claims claims, String id, ConfigDto body) {
    List<FieldError> errors = new ArrayList<>();
    Optional<CampaignConfig> config = ConfigMapping.toConfig(body, "", errors);
    if (!errors.isEmpty()) {
      return invalid("invalid campaign config", errors);
    }
    return reply(askUpdateConfig(id, config.get(), claims));
  }

  /**
   * Merges the given levers into the current pacing. Whether the merged pacing is valid (power
   * ratio within max lines, …) depends on the current values, so that check follows a read; two
   * concurrent PATCHes of different levers may thus overwrite each other (last one wins), like any
   * read-modify-write without a version.
   */
  private Route changePacing(AccessTokens.Claims claims, String id, PacingDto body) {
    if (body.mode() == null
        && body.targetAbandonPercent() == null
        && body.abandonWindow() == null
        && body.maxLinesPerAgent() == null
        && body.powerRatio() == null
        && body.minReadyAgents() == null) {
      return invalid(
          "give at least one of mode, targetAbandonPercent, abandonWindow, maxLinesPerAgent,"
              + " powerRatio, minReadyAgents",
          List.of());
    }
    List<FieldError> errors = new ArrayList<>();
    ConfigMapping.mergePacing(body, CampaignConfig.Pacing.defaults(), "", errors);
    if (!errors.isEmpty()) {
      return invalid("invalid pacing", errors);
    }
    return onSuccess(
        askSummary(id),
        current -> {
          if (current.config() == null) {
            return notFound(id);
          }
          CampaignConfig.Pacing merged =
              ConfigMapping.mergePacing(body, current.config().pacing(), "", errors);
          List<FieldError> problems =
              ConfigMapping.problemFields(current.config().withPacing(merged).problems(), "")
                  .stream()
                  .filter(e -> e.field().startsWith("pacing"))
                  .map(e -> new FieldError(e.field().replaceFirst("^pacing\\.?", ""), e.message()))
                  .toList();
          if (!problems.isEmpty()) {
            return invalid("invalid pacing", problems);
          }
          return reply(askChangePacing(id, merged, claims));
        });
  }

  private Route listing() {
    return parameterOptional(
        "status",
        status ->
            parameterOptional(
                "limit",
                limit -> parameterOptional("offset", offset -> list(status, limit, offset))));
  }

  private Route list(Optional<String> status, Optional<String> limit, Optional<String> offset) {
    List<FieldError> errors = new ArrayList<>();
    Optional<Campaign.Status> filter =
        ConfigMapping.parseEnum(status.orElse(null), Campaign.Status.class, "status", errors);
    int pageSize = QueryParameters.wholeNumber(limit, DEFAULT_LIMIT, 1, MAX_LIMIT, "limit", errors);
    int skip = QueryParameters.wholeNumber(offset, 0, 0, Integer.MAX_VALUE, "offset", errors);
    if (!errors.isEmpty()) {
      return invalid("invalid query", errors);
    }
    return onSuccess(
        viewQuery.list(filter, pageSize, skip),
        page ->
            complete(
                StatusCodes.OK,
                new CampaignPage(
                    page.rows().stream()
                        .map(
                            r ->
                                new CampaignListItem(
                                    r.campaignId(),
                                    r.name(),
                                    r.status().name(),
                                    r.dialMode(),
                                    r.createdAt(),
                                    r.updatedAt()))
                        .toList(),
                    page.total(),
                    pageSize,
                    skip),
                Json.marshaller(system)));
  }

  private Route readHistory(String id) {
    return onSuccess(
        history.of(id),
        entries ->
            entries.isEmpty()
                ? notFound(id)
                : complete(
                    StatusCodes.OK,
                    new History(
                        id,
                        entries.stream()
                            .map(
                                e ->
                                    new HistoryEntry(
                                        e.sequenceNr(), e.at(), e.by(), e.type(), e.summary()))
                            .toList()),
                    Json.marshaller(system)));
  }

  // ---- asks: one per entity command ----

  private CompletionStage<StatusReply<Campaign.Summary>> askCreate(
      String id, String name, CampaignConfig config, AccessTokens.Claims claims) {
    return campaign(id)
        .ask(
            (ActorRef<StatusReply<Campaign.Summary>> r) ->
                new Campaign.Create(name, config, claims.sub(), r),
            askTimeout);
  }

  private CompletionStage<Campaign.Summary> askSummary(String id) {
    return campaign(id).ask(Campaign.GetSummary::new, askTimeout);
  }

  private CompletionStage<StatusReply<Campaign.Summary>> askUpdateConfig(
      String id, CampaignConfig config, AccessTokens.Claims claims) {
    return campaign(id)
        .ask(
            (ActorRef<StatusReply<Campaign.Summary>> r) ->
                new Campaign.UpdateConfig(config, claims.sub(), r),
            askTimeout);
  }

  private CompletionStage<StatusReply<Campaign.Summary>> askChangePacing(
      String id, CampaignConfig.Pacing pacing, AccessTokens.Claims claims) {
    return campaign(id)
        .ask(
            (ActorRef<StatusReply<Campaign.Summary>> r) ->
                new Campaign.ChangePacing(pacing, claims.sub(), r),
            askTimeout);
  }

  private CompletionStage<StatusReply<Campaign.Summary>> askStart(
      String id, AccessTokens.Claims claims) {
    return campaign(id)
        .ask(
            (ActorRef<StatusReply<Campaign.Summary>> r) -> new Campaign.Start(claims.sub(), r),
            askTimeout);
  }

  private CompletionStage<StatusReply<Campaign.Summary>> askPause(
      String id, String reason, AccessTokens.Claims claims) {
    return campaign(id)
        .ask(
            (ActorRef<StatusReply<Campaign.Summary>> r) ->
                new Campaign.Pause(reason, claims.sub(), r),
            askTimeout);
  }

  private CompletionStage<StatusReply<Campaign.Summary>> askResume(
      String id, AccessTokens.Claims claims) {
    return campaign(id)
        .ask(
            (ActorRef<StatusReply<Campaign.Summary>> r) -> new Campaign.Resume(claims.sub(), r),
            askTimeout);
  }

  private CompletionStage<StatusReply<Campaign.Summary>> askFinish(
      String id, String reason, AccessTokens.Claims claims) {
    return campaign(id)
        .ask(
            (ActorRef<StatusReply<Campaign.Summary>> r) ->
                new Campaign.Finish(reason, claims.sub(), r),
            askTimeout);
  }

  private EntityRef<Campaign.Command> campaign(String id) {
    return ClusterSharding.get(system).entityRefFor(Campaign.ENTITY_KEY, id);
  }

  // ---- replies ----

  private Route reply(CompletionStage<StatusReply<Campaign.Summary>> result) {
    return onSuccess(
        result,
        reply ->
            reply.isSuccess()
                ? complete(
                    StatusCodes.OK, CampaignView.of(reply.getValue()), Json.marshaller(system))
                : refused(reply));
  }

  private Route refused(StatusReply<?> reply) {
    String reason = reply.getError().getMessage();
    return complete(Problems.response(mapper, statusFor(reason), reason, List.of()));
  }

  /** The one place where the entity's refusals become HTTP statuses. */
  static StatusCode statusFor(String reason) {
    if (reason.endsWith(" does not exist")) {
      return StatusCodes.NOT_FOUND;
    }
    // Validation the route could not fully do itself (the entity re-checks every config).
    if (reason.startsWith("invalid ") || reason.endsWith(" is required")) {
      return StatusCodes.BAD_REQUEST;
    }
    // Everything else is a lifecycle refusal: already exists, wrong status, finished.
    return StatusCodes.CONFLICT;
  }

  // ---- directives and helpers ----

  private Route staff(Function<AccessTokens.Claims, Route> inner) {
    return authenticator.authenticated(Authenticator.STAFF, inner);
  }

  /** An id that cannot exist is a 404 without bothering an entity. */
  private Route known(String id, Supplier<Route> inner) {
    return ID.matcher(id).matches() ? inner.get() : notFound(id);
  }

  private <T> Route body(Class<T> type, boolean optional, Function<T, Route> inner) {
    return bodies.body(type, optional, inner);
  }

  private static String reason(Reason body) {
    return body == null || body.reason() == null || body.reason().isBlank()
        ? null
        : body.reason().trim();
  }

  private Route notFound(String id) {
    return complete(
        Problems.response(mapper, StatusCodes.NOT_FOUND, "no campaign " + id, List.of()));
  }

  private Route invalid(String detail, List<FieldError> errors) {
    return complete(Problems.response(mapper, StatusCodes.BAD_REQUEST, detail, errors));
  }
}
