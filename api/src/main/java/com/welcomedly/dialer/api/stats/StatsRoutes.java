package com.welcomedly.dialer.api.stats;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessages;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.api.ReportPeriod;
import com.welcomedly.dialer.api.auth.AccessTokens;
import com.welcomedly.dialer.api.auth.Authenticator;
import com.welcomedly.dialer.api.campaign.CampaignRoutes;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import com.welcomedly.dialer.engine.dialing.DialerLatency;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import com.welcomedly.dialer.engine.stats.StatsFigures.AbandonWindow;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentStats;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentTime;
import com.welcomedly.dialer.engine.stats.StatsFigures.CampaignHour;
import com.welcomedly.dialer.engine.stats.StatsFigures.CampaignStats;
import com.welcomedly.dialer.engine.stats.StatsFigures.Categories;
import com.welcomedly.dialer.engine.stats.StatsFigures.Funnel;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Campaign statistics for admins and supervisors: {@code GET /api/campaigns/{id}/stats} (live
 * dialer state, agents by state and the read model's figures), {@code …/stats/hourly}, the CSV
 * export {@code …/stats/export.csv?by=campaign|agent} and the supervisor's WebSocket {@code
 * …/stream} (see {@link SupervisorStream}).
 */
public final class StatsRoutes {

  // ---- JSON DTOs ----

  /** The dialer's latest pacing decision, with its one-line explanation. */
  public record PacingView(
      String requestedMode,
      String effectiveMode,
      int callsToPlace,
      int wanted,
      int agentsReady,
      int agentsBusy,
      int callsDialing,
      int callsWaiting,
      List<String> interlocks,
      String explain) {
    static PacingView of(PacingDecision d) {
      return d == null
          ? null
          : new PacingView(
              d.requestedMode().name(),
              d.effectiveMode().name(),
              d.callsToPlace(),
              d.wanted(),
              d.agentsReady(),
              d.agentsBusy(),
              d.callsDialing(),
              d.callsWaiting(),
              d.interlocks().stream().map(Enum::name).sorted().toList(),
              d.explain());
    }
  }

  /** What the running dialer instance has done since it started. */
  public record DialerTotals(
      long dials, long liveAnswers, long connects, long abandons, long machines, long ended) {}

  public record DialerView(
      boolean pbxUp,
      int callsInFlight,
      int agentsReady,
      Map<String, String> calls,
      PacingView pacing,
      DialerTotals totals,
      Map<String, DialerLatency.Percentiles> latency,
      double admissionRate) {
    static DialerView of(CampaignDialer.Status s) {
      CampaignDialer.Totals t = s.totals();
      return new DialerView(
          s.pbxUp(),
          s.callsInFlight(),
          s.agentsReady(),
          new TreeMap<>(s.calls()),
          PacingView.of(s.lastDecision()),
          t == null
              ? null
              : new DialerTotals(
                  t.dials(), t.liveAnswers(), t.connects(), t.abandons(), t.machines(), t.ended()),
          s.latency() == null ? Map.of() : new TreeMap<>(s.latency()),
          s.admissionRate());
    }
  }

  public record FunnelView(
      long dials,
      long answers,
      long liveAnswers,
      long connects,
      long abandons,
      long machines,
      double abandonPercent) {
    static FunnelView of(Funnel f) {
      return new FunnelView(
          f.dials(),
          f.answers(),
          f.liveAnswers(),
          f.connects(),
          f.abandons(),
          f.machines(),
          percent(f.abandonRate()));
    }
  }

  /** One regulated window of the abandon ledger ending now. */
  public record AbandonWindowView(
      long windowHours, long liveAnswers, long abandons, double abandonPercent) {
    static AbandonWindowView of(AbandonWindow w) {
      return new AbandonWindowView(
          w.window().toHours(), w.liveAnswers(), w.abandons(), percent(w.rate()));
    }
  }

  public record AbandonRates(AbandonWindowView uk24Hours, AbandonWindowView us30Days) {}

  public record AgentTimeView(
      long callsHandled,
      double readySeconds,
      double reservedSeconds,
      double talkSeconds,
      double wrapSeconds,
      double pausedSeconds,
      double loggedInSeconds,
      double occupancy,
      double averageTalkSeconds,
      double averageWrapSeconds) {
    static AgentTimeView of(AgentTime t) {
      return new AgentTimeView(
          t.callsHandled(),
          t.readySeconds(),
          t.reservedSeconds(),
          t.talkSeconds(),
          t.wrapSeconds(),
          t.pausedSeconds(),
          t.loggedInSeconds(),
          t.occupancy(),
          t.averageTalkSeconds(),
          t.averageWrapSeconds());
    }
  }

  public record AgentFiguresView(
      String agentId, AgentTimeView time, Map<String, Long> dispositionsByCategory) {}

  /** {@code GET /api/campaigns/{id}/stats}. {@code dialer} is null when no dialer runs. */
  public record CampaignStatsView(
      String campaignId,
      String status,
      Instant at,
      DialerView dialer,
      Map<String, Integer> agentsByState,
      FunnelView totals,
      AbandonRates abandonRate,
      double occupancy,
      double averageTalkSeconds,
      double averageWrapSeconds,
      AgentTimeView agentTime,
      Map<String, Long> dispositionsByCategory,
      Map<String, Long> dispositionsByCode,
      Map<String, Long> outcomes,
      List<AgentFiguresView> agents) {
    static CampaignStatsView of(LiveCampaign.Snapshot s) {
      Map<String, Integer> byState = new LinkedHashMap<>();
      for (Agent.Status status : Agent.Status.values()) {
        byState.put(status.name(), 0);
      }
      s.agents().forEach(a -> byState.merge(a.status().name(), 1, Integer::sum));
      CampaignStats f = s.figures();
      return new CampaignStatsView(
          s.campaign().campaignId(),
          s.campaign().status().name(),
          s.at(),
          s.dialer().map(DialerView::of).orElse(null),
          byState,
          FunnelView.of(f.totals()),
          new AbandonRates(AbandonWindowView.of(f.uk24Hours()), AbandonWindowView.of(f.us30Days())),
          f.agentTime().occupancy(),
          f.agentTime().averageTalkSeconds(),
          f.agentTime().averageWrapSeconds(),
          AgentTimeView.of(f.agentTime()),
          byCategory(f.dispositions()),
          f.dispositionsByCode(),
          f.outcomes(),
          s.agentFigures().stream()
              .map(
                  (AgentStats a) ->
                      new AgentFiguresView(
                          a.agentId(), AgentTimeView.of(a.time()), byCategory(a.dispositions())))
              .toList());
    }
  }

  public record HourView(
      Instant hour,
      FunnelView funnel,
      Map<String, Long> dispositionsByCategory,
      AgentTimeView agentTime) {
    static HourView of(CampaignHour h) {
      return new HourView(
          h.hour(),
          FunnelView.of(h.funnel()),
          byCategory(h.dispositions()),
          AgentTimeView.of(h.agentTime()));
    }
  }

  /** {@code GET /api/campaigns/{id}/stats/hourly}: hours with activity in {@code [from, to)}. */
  public record HourlyView(String campaignId, Instant from, Instant to, List<HourView> hours) {}

  static final Duration DEFAULT_HOURLY_RANGE = Duration.ofHours(24);
  static final Duration DEFAULT_EXPORT_RANGE = Duration.ofDays(30);

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final Authenticator authenticator;
  private final LiveCampaign live;
  private final SupervisorStream stream;
  private final Duration maxRange;

  public StatsRoutes(ActorSystem<?> system, Authenticator authenticator) {
    this.system = system;
    this.mapper = Json.mapper(system);
    this.authenticator = authenticator;
    this.live = new LiveCampaign(system);
    this.stream = new SupervisorStream(system, live, mapper);
    this.maxRange = system.settings().config().getDuration("dialer.api.stats.max-range");
  }

  public Route routes() {
    return pathPrefix(
        "api",
        () -> pathPrefix("campaigns", () -> pathPrefix(PathMatchers.segment(), this::oneCampaign)));
  }

  private Route oneCampaign(String id) {
    return concat(
        pathPrefix(
            "stats",
            () ->
                concat(
                    pathEnd(() -> get(() -> staff(claims -> known(id, () -> liveStats(id))))),
                    path("hourly", () -> get(() -> staff(claims -> known(id, () -> hourly(id))))),
                    path(
                        "export.csv",
                        () -> get(() -> staff(claims -> known(id, () -> export(id))))))),
        path(
            "stream",
            () ->
                get(
                    () ->
                        authenticator.authenticatedWebSocket(
                            Authenticator.STAFF, claims -> known(id, () -> openStream(id))))));
  }

  private Route hourly(String id) {
    return range(DEFAULT_HOURLY_RANGE, (from, to) -> hourly(id, from, to));
  }

  private Route export(String id) {
    return parameterOptional(
        "by", by -> range(DEFAULT_EXPORT_RANGE, (from, to) -> export(id, from, to, by)));
  }

  // ---- handlers ----

  private Route liveStats(String id) {
    return onSuccess(
        live.snapshot(id),
        snapshot ->
            snapshot.isEmpty()
                ? notFound(id)
                : complete(
                    StatusCodes.OK, CampaignStatsView.of(snapshot.get()), Json.marshaller(system)));
  }

  private Route hourly(String id, Instant from, Instant to) {
    return exists(
        id,
        () ->
            onSuccess(
                live.query().hourly(id, from, to),
                hours ->
                    complete(
                        StatusCodes.OK,
                        new HourlyView(id, from, to, hours.stream().map(HourView::of).toList()),
                        Json.marshaller(system))));
  }

  private Route export(String id, Instant from, Instant to, Optional<String> by) {
    String table = by.orElse("campaign");
    if (!table.equals("campaign") && !table.equals("agent")) {
      return invalid(
          "invalid query", List.of(new FieldError("by", "must be 'campaign' or 'agent'")));
    }
    return exists(
        id,
        () ->
            onSuccess(
                table.equals("campaign")
                    ? live.query()
                        .hourly(id, from, to)
                        .thenApply(h -> StatsCsv.campaignHours(id, h))
                    : live.query()
                        .agentHours(id, from, to)
                        .thenApply(h -> StatsCsv.agentHours(id, h)),
                csv ->
                    complete(
                        HttpResponse.create()
                            .withStatus(StatusCodes.OK)
                            .addHeader(
                                ContentDisposition.create(
                                    ContentDispositionTypes.ATTACHMENT,
                                    Map.of(
                                        "filename", "campaign-" + id + "-" + table + "-stats.csv")))
                            .withEntity(
                                HttpEntities.create(
                                    MediaTypes.TEXT_CSV.toContentType(HttpCharsets.UTF_8), csv)))));
  }

  private Route openStream(String id) {
    return exists(id, () -> handleWebSocketMessages(stream.flow(id)));
  }

  // ---- directives and helpers ----

  private Route range(Duration fallback, BiFunction<Instant, Instant, Route> inner) {
    return new ReportPeriod(mapper, maxRange).range(fallback, inner);
  }

  private Route staff(Function<AccessTokens.Claims, Route> inner) {
    return authenticator.authenticated(Authenticator.STAFF, inner);
  }

  /** An id that cannot exist is a 404 without bothering an entity. */
  private Route known(String id, Supplier<Route> inner) {
    return CampaignRoutes.ID.matcher(id).matches() ? inner.get() : notFound(id);
  }

  /** 404 unless the campaign's entity exists. */
  private Route exists(String id, Supplier<Route> inner) {
    return onSuccess(
        live.campaign(id), summary -> summary.config() == null ? notFound(id) : inner.get());
  }

  static Map<String, Long> byCategory(Categories c) {
    Map<String, Long> map = new LinkedHashMap<>();
    map.put("SUCCESS", c.success());
    map.put("NO_CONTACT", c.noContact());
    map.put("FOLLOW_UP", c.followUp());
    map.put("UNSUCCESSFUL", c.unsuccessful());
    return map;
  }

  static double percent(double rate) {
    return Math.round(rate * 100_000.0) / 1000.0;
  }

  private Route notFound(String id) {
    return complete(
        Problems.response(mapper, StatusCodes.NOT_FOUND, "no campaign " + id, List.of()));
  }

  private Route invalid(String detail, List<FieldError> errors) {
    return complete(Problems.response(mapper, StatusCodes.BAD_REQUEST, detail, errors));
  }
}
