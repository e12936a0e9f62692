package com.welcomedly.dialer.api.lead;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.api.auth.AccessTokens;
import com.welcomedly.dialer.api.auth.Authenticator;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Callback;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import scala.util.Try;

/**
 * One lead ({@code /api/leads/{leadId}}): read it with its numbers and full attempt history, and
 * put it on the do-not-call list. There is no DNC removal: the Lead entity lets DNC win over
 * everything, for good, so an endpoint pretending to undo it would lie.
 */
public final class LeadRoutes {

  public record NumberView(String number, boolean invalid) {}

  public record DncView(String leadId, boolean dnc, String source, String by, Instant at) {
    static DncView of(Lead.Summary s) {
      Lead.Dnc d = s.dnc();
      return d == null
          ? new DncView(s.leadId(), false, null, null, null)
          : new DncView(s.leadId(), true, d.source().name(), d.by(), d.at());
    }
  }

  public record CallbackView(
      LocalDateTime localTime, String timezone, Instant dueAt, String agentId, Instant fallbackAt) {
    static CallbackView of(Callback c) {
      return c == null
          ? null
          : new CallbackView(c.localTime(), c.timezone(), c.dueAt(), c.agentId(), c.fallbackAt());
    }
  }

  public record AttemptView(
      String attemptId,
      String number,
      String agentId,
      Instant reservedAt,
      Instant dialedAt,
      Instant answeredAt,
      Instant connectedAt,
      Instant endedAt,
      String outcome,
      String dispositionCode,
      String notes,
      String releasedReason,
      String summary,
      String summarizer) {
    static AttemptView of(Attempt a) {
      return new AttemptView(
          a.attemptId(),
          a.number(),
          a.agentId(),
          a.reservedAt(),
          a.dialedAt(),
          a.answeredAt(),
          a.connectedAt(),
          a.endedAt(),
          a.outcome() == null ? null : a.outcome().name(),
          a.dispositionCode(),
          a.notes(),
          a.releasedReason(),
          a.summary(),
          a.summarizer());
    }
  }

  public record LeadView(
      String leadId,
      String campaignId,
      String status,
      List<NumberView> numbers,
      String timezone,
      int priority,
      Map<String, String> customFields,
      Instant nextAttemptAt,
      CallbackView callback,
      DncView dnc,
      String finalDisposition,
      String notDialableReason,
      List<AttemptView> attempts) {
    static LeadView of(Lead.Summary s) {
      return new LeadView(
          s.leadId(),
          s.campaignId(),
          s.status().name(),
          s.numbers().stream().map(n -> new NumberView(n.e164(), n.invalid())).toList(),
          s.timezone(),
          s.priority(),
          s.customFields(),
          s.nextAttemptAt(),
          CallbackView.of(s.callback()),
          DncView.of(s),
          s.finalDisposition(),
          s.notDialableReason(),
          s.attempts().stream().map(AttemptView::of).toList());
    }
  }

  private static final String NOT_YOURS =
      "an agent reads only the leads it is working: its current call and its callbacks";

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final Authenticator authenticator;
  private final Duration askTimeout;
  private final LeadAccess access;

  public LeadRoutes(ActorSystem<?> system, Authenticator authenticator) {
    this.system = system;
    this.mapper = Json.mapper(system);
    this.authenticator = authenticator;
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
    this.access = new LeadAccess(system, askTimeout);
  }

  public Route routes() {
    return pathPrefix(
        "api", () -> pathPrefix("leads", () -> pathPrefix(PathMatchers.segment(), this::oneLead)));
  }

  private Route oneLead(String leadId) {
    return concat(
        pathEnd(
            () ->
                get(
                    () ->
                        authenticator.authenticated(
                            Authenticator.ANY_ROLE,
                            claims -> answer(readable(claims, leadId), LeadView::of)))),
        path(
            "dnc",
            () ->
                concat(
                    get(
                        () ->
                            authenticator.authenticated(
                                Authenticator.STAFF,
                                claims -> answer(summary(leadId), DncView::of))),
                    post(
                        () ->
                            authenticator.authenticated(
                                Authenticator.STAFF, claims -> markDnc(claims, leadId))))));
  }

  private Route markDnc(AccessTokens.Claims claims, String leadId) {
    CompletionStage<StatusReply<Lead.Summary>> marked =
        lead(leadId).ask(r -> new Lead.MarkDnc(Lead.DncSource.API, claims.sub(), r), askTimeout);
    return answer(marked, DncView::of);
  }

  /** The lead if the caller may read it ({@link LeadAccess}); "not yours" is a 403. */
  private CompletionStage<StatusReply<Lead.Summary>> readable(
      AccessTokens.Claims claims, String leadId) {
    return summary(leadId)
        .thenCompose(
            reply ->
                !reply.isSuccess()
                    ? CompletableFuture.completedFuture(reply)
                    : access
                        .mayRead(claims, reply.getValue())
                        .thenApply(allowed -> allowed ? reply : StatusReply.error(NOT_YOURS)));
  }

  /** GetSummary answers a never-imported lead with an empty summary: that is a 404. */
  private CompletionStage<StatusReply<Lead.Summary>> summary(String leadId) {
    return lead(leadId)
        .ask(Lead.GetSummary::new, askTimeout)
        .thenApply(
            s ->
                s.campaignId() == null
                    ? StatusReply.error("lead " + leadId + " does not exist")
                    : StatusReply.success(s));
  }

  private <T> Route answer(
      CompletionStage<StatusReply<Lead.Summary>> result, Function<Lead.Summary, T> view) {
    return onComplete(
        result,
        (Try<StatusReply<Lead.Summary>> reply) -> {
          if (reply.isFailure()) {
            return problem(
                StatusCodes.SERVICE_UNAVAILABLE, "the lead did not answer in time; retry later");
          }
          StatusReply<Lead.Summary> r = reply.get();
          return r.isSuccess()
              ? complete(StatusCodes.OK, view.apply(r.getValue()), Json.marshaller(system))
              : problem(statusFor(r.getError().getMessage()), r.getError().getMessage());
        });
  }

  /** The one place where the Lead entity's refusals become HTTP statuses. */
  private static StatusCode statusFor(String reason) {
    if (reason.endsWith(" does not exist")) {
      return StatusCodes.NOT_FOUND;
    }
    if (reason.equals(NOT_YOURS)) {
      return StatusCodes.FORBIDDEN;
    }
    if (reason.endsWith(" is required")) {
      return StatusCodes.BAD_REQUEST;
    }
    return StatusCodes.CONFLICT;
  }

  private Route problem(StatusCode status, String detail) {
    return complete(Problems.response(mapper, status, detail, List.of()));
  }

  private EntityRef<Lead.Command> lead(String leadId) {
    return ClusterSharding.get(system).entityRefFor(Lead.ENTITY_KEY, leadId);
  }
}
