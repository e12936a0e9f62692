package com.welcomedly.dialer.api.stats;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.api.auth.Authenticator;
import com.welcomedly.dialer.api.campaign.CampaignRoutes;
import com.welcomedly.dialer.engine.gamification.LeaderboardQuery;
import com.welcomedly.dialer.engine.gamification.LeaderboardQuery.Period;
import com.welcomedly.dialer.engine.gamification.LeaderboardQuery.Standing;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/campaigns/{id}/leaderboard?period=today|week|campaign} for admins and
 * supervisors: the gamification read model's standings (see {@code engine.gamification}).
 */
public final class LeaderboardRoutes {

  public record StandingView(
      int rank,
      String agentId,
      long points,
      long contacts,
      long successes,
      long talkSeconds,
      long onTimeWrapUps,
      long wrapUpTimeouts,
      List<String> badges) {
    static StandingView of(Standing s) {
      return new StandingView(
          s.rank(),
          s.agentId(),
          s.points(),
          s.contacts(),
          s.successes(),
          s.talkSeconds(),
          s.onTimeWrapUps(),
          s.wrapUpTimeouts(),
          s.badges());
    }
  }

  public record LeaderboardView(
      String campaignId, String period, Instant at, List<StandingView> standings) {}

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final Authenticator authenticator;
  private final LiveCampaign live;
  private final LeaderboardQuery query;
  private final Clock clock = Clock.systemUTC();

  public LeaderboardRoutes(ActorSystem<?> system, Authenticator authenticator) {
    this.system = system;
    this.mapper = Json.mapper(system);
    this.authenticator = authenticator;
    this.live = new LiveCampaign(system);
    this.query = new LeaderboardQuery(JdbcPool.get(system));
  }

  public Route routes() {
    return pathPrefix(
        "api",
        () ->
            pathPrefix(
                "campaigns",
                () ->
                    pathPrefix(
                        PathMatchers.segment(),
                        id ->
                            path(
                                "leaderboard",
                                () ->
                                    get(
                                        () ->
                                            authenticator.authenticated(
                                                Authenticator.STAFF,
                                                claims ->
                                                    parameterOptional(
                                                        "period", p -> leaderboard(id, p))))))));
  }

  private Route leaderboard(String id, Optional<String> periodText) {
    String text = periodText.orElse("today").trim().toLowerCase(Locale.ROOT);
    Period period;
    switch (text) {
      case "today" -> period = Period.TODAY;
      case "week" -> period = Period.WEEK;
      case "campaign" -> period = Period.CAMPAIGN;
      default -> {
        return complete(
            Problems.response(
                mapper,
                StatusCodes.BAD_REQUEST,
                "invalid query",
                List.of(new FieldError("period", "must be 'today', 'week' or 'campaign'"))));
      }
    }
    if (!CampaignRoutes.ID.matcher(id).matches()) {
      return notFound(id);
    }
    Instant now = clock.instant();
    return onSuccess(
        live.campaign(id),
        summary ->
            summary.config() == null
                ? notFound(id)
                : onSuccess(
                    query.leaderboard(id, period, now),
                    standings ->
                        complete(
                            StatusCodes.OK,
                            new LeaderboardView(
                                id, text, now, standings.stream().map(StandingView::of).toList()),
                            Json.marshaller(system))));
  }

  private Route notFound(String id) {
    return complete(
        Problems.response(mapper, StatusCodes.NOT_FOUND, "no campaign " + id, List.of()));
  }
}
