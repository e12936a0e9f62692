package com.welcomedly.dialer.api.compliance;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.api.ReportPeriod;
import com.welcomedly.dialer.api.auth.Authenticator;
import com.welcomedly.dialer.api.campaign.CampaignRoutes;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.evidence.ComplianceQuery;
import com.welcomedly.dialer.engine.evidence.LeadAuditTrail;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
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
 * Compliance evidence for admins and supervisors: {@code GET /api/campaigns/{id}/compliance} and
 * {@code …/compliance.csv} (the report for {@code [from, to)}, default the last 30 days), and
 * {@code GET /api/leads/{id}/audit} and {@code …/audit.csv} (every event of one lead from the
 * journal, numbers in full: the evidence export).
 */
public final class ComplianceRoutes {

  /** {@code GET /api/leads/{id}/audit}. */
  public record AuditView(String leadId, List<LeadAuditTrail.Entry> events) {}

  static final Duration DEFAULT_RANGE = Duration.ofDays(30);

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final Authenticator authenticator;
  private final ComplianceQuery query;
  private final LeadAuditTrail audit;
  private final Duration askTimeout;
  private final Duration maxRange;

  public ComplianceRoutes(ActorSystem<?> system, Authenticator authenticator) {
    this.system = system;
    this.mapper = Json.mapper(system);
    this.authenticator = authenticator;
    this.query = new ComplianceQuery(JdbcPool.get(system));
    this.audit = new LeadAuditTrail(system);
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
    this.maxRange = system.settings().config().getDuration("dialer.api.stats.max-range");
  }

  public Route routes() {
    return pathPrefix(
        "api",
        () ->
            concat(
                pathPrefix(
                    "campaigns",
                    () ->
                        pathPrefix(
                            PathMatchers.segment(),
                            id ->
                                concat(
                                    path("compliance", () -> staff(() -> report(id, false))),
                                    path("compliance.csv", () -> staff(() -> report(id, true)))))),
                pathPrefix(
                    "leads",
                    () ->
                        pathPrefix(
                            PathMatchers.segment(),
                            id ->
                                concat(
                                    path("audit", () -> staff(() -> audit(id, false))),
                                    path("audit.csv", () -> staff(() -> audit(id, true))))))));
  }

  private Route report(String id, boolean csv) {
    if (!CampaignRoutes.ID.matcher(id).matches()) {
      return notFound("no campaign " + id);
    }
    return range(
        (from, to) ->
            onSuccess(
                campaignExists(id),
                exists ->
                    !exists
                        ? notFound("no campaign " + id)
                        : onSuccess(
                            query.report(id, from, to),
                            report ->
                                csv
                                    ? csv(
                                        "campaign-" + id + "-compliance.csv",
                                        ComplianceCsv.report(report))
                                    : complete(StatusCodes.OK, report, Json.marshaller(system)))));
  }

  private Route audit(String id, boolean csv) {
    if (!CampaignRoutes.ID.matcher(id).matches()) {
      return notFound("no lead " + id);
    }
    return onSuccess(
        audit.of(id),
        entries ->
            entries.isEmpty()
                ? notFound("no lead " + id)
                : csv
                    ? csv("lead-" + id + "-audit.csv", ComplianceCsv.audit(entries))
                    : complete(
                        StatusCodes.OK, new AuditView(id, entries), Json.marshaller(system)));
  }

  private CompletionStage<Boolean> campaignExists(String id) {
    return ClusterSharding.get(system)
        .entityRefFor(Campaign.ENTITY_KEY, id)
        .ask((ActorRef<Campaign.Summary> r) -> new Campaign.GetSummary(r), askTimeout)
        .thenApply(summary -> summary.config() != null);
  }

  private Route range(BiFunction<Instant, Instant, Route> inner) {
    return new ReportPeriod(mapper, maxRange).range(DEFAULT_RANGE, inner);
  }

  private Route staff(Supplier<Route> inner) {
    return get(() -> authenticator.authenticated(Authenticator.STAFF, claims -> inner.get()));
  }

  private static Route csv(String filename, String body) {
    return complete(
        HttpResponse.create()
            .withStatus(StatusCodes.OK)
            .addHeader(
                ContentDisposition.create(
                    ContentDispositionTypes.ATTACHMENT, Map.of("filename", filename)))
            .withEntity(
                HttpEntities.create(MediaTypes.TEXT_CSV.toContentType(HttpCharsets.UTF_8), body)));
  }

  private Route notFound(String detail) {
    return complete(Problems.response(mapper, StatusCodes.NOT_FOUND, detail, List.of()));
  }
}
