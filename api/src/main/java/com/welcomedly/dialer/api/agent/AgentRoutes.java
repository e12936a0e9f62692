package com.welcomedly.dialer.api.agent;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessages;
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
import com.welcomedly.dialer.api.agent.AgentCommands.DispositionRequest;
import com.welcomedly.dialer.api.agent.AgentCommands.Outcome;
import com.welcomedly.dialer.api.auth.AccessTokens;
import com.welcomedly.dialer.api.auth.Authenticator;
import com.welcomedly.dialer.api.auth.Passwords;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.identity.User;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.projection.AgentViewQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

/**
 * Agents ({@code /api/agents}): admins create and edit them (optionally with the AGENT user that
 * logs in as the agent); staff list them; an agent reads and drives itself (login, logout, ready,
 * pause, heartbeat, disposition) and admins or supervisors may do so for any agent. {@code GET
 * /api/agents/{id}/ws} is the agent's live channel ({@link AgentChannel}).
 */
public final class AgentRoutes {

  // ---- JSON DTOs ----

  /**
   * Create body. {@code username}/{@code password}, when given, create the AGENT user linked to
   * this agent in the same request.
   */
  public record CreateAgent(
      String id,
      String displayName,
      String phoneEndpoint,
      Set<String> campaigns,
      String username,
      String password) {}

  /** PUT replaces (displayName and phoneEndpoint required); PATCH changes only what is given. */
  public record AgentChange(String displayName, String phoneEndpoint, Set<String> campaigns) {}

  public record PauseRequest(String reason) {}

  /** The call an agent is offered, on, or wrapping up. */
  public record CallView(String attemptId, String leadId, String campaignId) {
    static CallView of(Agent.CallRef call) {
      return call == null ? null : new CallView(call.attemptId(), call.leadId(), call.campaignId());
    }
  }

  /**
   * Time accounting of the current login session, in whole seconds, up to the moment of the read.
   */
  public record SessionView(
      String sessionId,
      Instant loggedInAt,
      long loggedInSeconds,
      long readySeconds,
      long reservedSeconds,
      long talkSeconds,
      long wrapUpSeconds,
      long pausedSeconds,
      Map<String, Long> pausedSecondsByReason) {}

  /** An agent as its entity knows it. */
  public record AgentView(
      String id,
      String displayName,
      String phoneEndpoint,
      Set<String> campaigns,
      String status,
      Instant statusSince,
      String pauseReason,
      String pauseAfterCall,
      CallView call,
      Instant wrapUpDeadline,
      SessionView session) {}

  /** One row of a listing (from the read model, which may lag by a moment). */
  public record AgentListItem(
      String id,
      String displayName,
      String phoneEndpoint,
      Set<String> campaigns,
      String status,
      String pauseReason,
      Instant statusSince) {}

  public record AgentPage(List<AgentListItem> items, long total, int limit, int offset) {}

  /**
   * A dial string for the agent's nailed-up leg, {@code TECH/resource} (e.g. {@code PJSIP/1001},
   * {@code Local/1001@agents}). No {@code &}, {@code ,} or {@code |}: those would let one agent's
   * endpoint dial several channels or pass Dial options.
   */
  static final Pattern ENDPOINT =
      Pattern.compile("[A-Za-z][A-Za-z0-9]{0,15}/[A-Za-z0-9_.@+*#:-]{1,120}");

  static final int MAX_NAME_LENGTH = 255; // agent_view.display_name
  static final int MAX_CAMPAIGNS = 100;
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final RequestBodies bodies;
  private final Authenticator authenticator;
  private final Passwords passwords;
  private final AgentCommands commands;
  private final Duration askTimeout;
  private final AgentViewQuery viewQuery;
  private final AgentChannel channel;
  private final PreviewCommands previews;

  public AgentRoutes(ActorSystem<?> system, Authenticator authenticator, Passwords passwords) {
    this.system = system;
    this.mapper = Json.mapper(system);
    this.bodies = new RequestBodies(system);
    this.authenticator = authenticator;
    this.passwords = passwords;
    this.commands = new AgentCommands(system);
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
    this.viewQuery = new AgentViewQuery(JdbcPool.get(system));
    this.previews = new PreviewCommands(system, commands);
    this.channel = new AgentChannel(system, commands, previews, bodies);
  }

  public Route routes() {
    return pathPrefix(
        "api",
        () ->
            pathPrefix(
                "agents",
                () ->
                    concat(
                        pathEnd(
                            () ->
                                concat(
                                    post(
                                        () ->
                                            admin(
                                                claims ->
                                                    bodies.body(
                                                        CreateAgent.class,
                                                        false,
                                                        b -> create(claims, b)))),
                                    get(() -> staff(claims -> listing())))),
                        pathPrefix(PathMatchers.segment(), this::oneAgent))));
  }

  private Route oneAgent(String id) {
    return concat(
        pathEnd(
            () ->
                concat(
                    get(() -> asAgent(id, claims -> read(id))),
                    put(
                        () ->
                            admin(
                                claims ->
                                    bodies.body(
                                        AgentChange.class,
                                        false,
                                        b -> change(claims, id, b, true)))),
                    patch(
                        () ->
                            admin(
                                claims ->
                                    bodies.body(
                                        AgentChange.class,
                                        false,
                                        b -> change(claims, id, b, false)))))),
        path("login", () -> post(() -> asAgent(id, claims -> reply(commands.logIn(id))))),
        path("logout", () -> post(() -> asAgent(id, claims -> reply(commands.logOut(id))))),
        path("ready", () -> post(() -> asAgent(id, claims -> reply(commands.ready(id))))),
        path("heartbeat", () -> post(() -> asAgent(id, claims -> reply(commands.heartbeat(id))))),
        pathPrefix(
            "preview",
            () ->
                concat(
                    path("dial", () -> previewAnswer(id, previews::dial)),
                    path("skip", () -> previewAnswer(id, previews::skip)))),
        path(
            "pause",
            () ->
                post(
                    () ->
                        asAgent(
                            id,
                            claims ->
                                bodies.body(
                                    PauseRequest.class,
                                    false,
                                    b -> reply(commands.pause(id, b.reason())))))),
        path(
            "disposition",
            () ->
                post(
                    () ->
                        asAgent(
                            id,
                            claims ->
                                bodies.body(
                                    DispositionRequest.class,
                                    false,
                                    b -> reply(commands.dispose(id, b)))))),
        path(
            "ws",
            () ->
                get(
                    () ->
                        authenticator.authenticatedWebSocket(
                            Authenticator.ANY_ROLE,
                            claims ->
                                self(
                                    claims,
                                    id,
                                    () ->
                                        onSuccess(
                                            commands.summary(id),
                                            known ->
                                                known.isEmpty()
                                                    ? problem(AgentCommands.notFound(id))
                                                    : handleWebSocketMessages(
                                                        channel.flow(id))))))));
  }

  // ---- handlers ----

  private Route create(AccessTokens.Claims claims, CreateAgent body) {
    List<FieldError> errors = new ArrayList<>();
    if (body.id() == null || !AgentCommands.ID.matcher(body.id()).matches()) {
      errors.add(new FieldError("id", "is required: 1-64 letters, digits, '_', '.' or '-'"));
    }
    AgentChange profile =
        new AgentChange(body.displayName(), body.phoneEndpoint(), body.campaigns());
    validate(profile, true, errors);
    boolean withUser = body.username() != null || body.password() != null;
    if (withUser) {
      if (body.username() == null || !User.USERNAME.matcher(body.username()).matches()) {
        errors.add(
            new FieldError(
                "username",
                "must be 3-64 characters of lower-case letters, digits, '.', '_' or '-'"));
      }
      Optional.ofNullable(Passwords.problem(body.password(), body.username()))
          .ifPresent(p -> errors.add(new FieldError("password", p)));
    }
    if (!errors.isEmpty()) {
      return invalid("invalid agent", errors);
    }
    String id = body.id();
    CompletionStage<Outcome> created =
        commands
            .summary(id)
            .thenCompose(
                existing ->
                    existing.isPresent()
                        ? done(
                            Outcome.problem(
                                StatusCodes.CONFLICT, "agent " + id + " already exists", List.of()))
                        : unknownCampaigns(campaigns(profile))
                            .thenCompose(
                                unknown -> {
                                  if (!unknown.isEmpty()) {
                                    return done(campaignProblem(unknown));
                                  }
                                  CompletionStage<Optional<Outcome>> user =
                                      withUser
                                          ? register(claims, body.username(), body.password(), id)
                                          : CompletableFuture.completedFuture(Optional.empty());
                                  return user.thenCompose(
                                      refused ->
                                          refused.isPresent()
                                              ? done(refused.get())
                                              : create(claims, id, profile));
                                }));
    return onSuccess(
        created,
        outcome ->
            outcome.isOk()
                ? complete(
                    StatusCodes.CREATED,
                    List.of(Location.create("/api/agents/" + id)),
                    AgentViews.of(outcome.summary()),
                    Json.marshaller(system))
                : problem(outcome));
  }

  private Route change(AccessTokens.Claims claims, String id, AgentChange body, boolean replace) {
    List<FieldError> errors = new ArrayList<>();
    validate(body, replace, errors);
    if (!replace
        && body.displayName() == null
        && body.phoneEndpoint() == null
        && body.campaigns() == null) {
      errors.add(
          new FieldError("body", "give at least one of displayName, phoneEndpoint, campaigns"));
    }
    if (!errors.isEmpty()) {
      return invalid("invalid agent", errors);
    }
    CompletionStage<Outcome> changed =
        commands
            .summary(id)
            .thenCompose(
                current -> {
                  if (current.isEmpty()) {
                    return done(AgentCommands.notFound(id));
                  }
                  Agent.Summary now = current.get();
                  AgentChange merged =
                      new AgentChange(
                          body.displayName() != null || replace
                              ? body.displayName()
                              : now.displayName(),
                          body.phoneEndpoint() != null ? body.phoneEndpoint() : now.phoneEndpoint(),
                          body.campaigns() != null || replace ? body.campaigns() : now.campaigns());
                  return unknownCampaigns(campaigns(merged))
                      .thenCompose(
                          unknown ->
                              unknown.isEmpty()
                                  ? configure(claims, id, merged)
                                  : done(campaignProblem(unknown)));
                });
    return reply(changed);
  }

  private Route read(String id) {
    return onSuccess(
        commands.summary(id),
        found ->
            found.isEmpty()
                ? problem(AgentCommands.notFound(id))
                : complete(StatusCodes.OK, AgentViews.of(found.get()), Json.marshaller(system)));
  }

  private Route listing() {
    return parameterOptional(
        "status",
        status ->
            parameterOptional(
                "campaign",
                campaign ->
                    parameterOptional(
                        "limit",
                        limit ->
                            parameterOptional(
                                "offset", offset -> list(status, campaign, limit, offset)))));
  }

  private Route list(
      Optional<String> status,
      Optional<String> campaign,
      Optional<String> limit,
      Optional<String> offset) {
    List<FieldError> errors = new ArrayList<>();
    Optional<Agent.Status> filter = Optional.empty();
    if (status.isPresent()) {
      try {
        filter = Optional.of(Agent.Status.valueOf(status.get().trim().toUpperCase()));
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("status", "must be one of " + List.of(Agent.Status.values())));
      }
    }
    int pageSize = QueryParameters.wholeNumber(limit, DEFAULT_LIMIT, 1, MAX_LIMIT, "limit", errors);
    int skip = QueryParameters.wholeNumber(offset, 0, 0, Integer.MAX_VALUE, "offset", errors);
    if (!errors.isEmpty()) {
      return invalid("invalid query", errors);
    }
    return onSuccess(
        viewQuery.list(filter, campaign.filter(c -> !c.isBlank()), pageSize, skip),
        page ->
            complete(
                StatusCodes.OK,
                new AgentPage(
                    page.rows().stream()
                        .map(
                            r ->
                                new AgentListItem(
                                    r.agentId(),
                                    r.displayName(),
                                    r.phoneEndpoint(),
                                    r.campaigns(),
                                    r.status().name(),
                                    r.pauseReason() == null ? null : r.pauseReason().name(),
                                    r.statusSince()))
                        .toList(),
                    page.total(),
                    pageSize,
                    skip),
                Json.marshaller(system)));
  }

  // ---- asks ----

  /** The Agent entity refuses a second creation: concurrent POSTs of one id give one 201. */
  private CompletionStage<Outcome> create(
      AccessTokens.Claims claims, String id, AgentChange profile) {
    return commands.change(
        id,
        (ActorRef<StatusReply<Agent.Summary>> r) ->
            new Agent.Create(
                profile.displayName().trim(),
                profile.phoneEndpoint().trim(),
                campaigns(profile),
                claims.sub(),
                r));
  }

  private CompletionStage<Outcome> configure(
      AccessTokens.Claims claims, String id, AgentChange profile) {
    return commands.change(
        id,
        (ActorRef<StatusReply<Agent.Summary>> r) ->
            new Agent.Configure(
                profile.displayName().trim(),
                profile.phoneEndpoint().trim(),
                campaigns(profile),
                claims.sub(),
                r));
  }

  /** Registers the agent's login; a refusal (the username is taken) comes back as the outcome. */
  private CompletionStage<Optional<Outcome>> register(
      AccessTokens.Claims claims, String username, String password, String agentId) {
    return passwords
        .hash(password)
        .thenCompose(
            hash ->
                ClusterSharding.get(system)
                    .entityRefFor(User.ENTITY_KEY, username)
                    .ask(
                        (ActorRef<StatusReply<User.Summary>> r) ->
                            new User.Register(
                                User.Role.AGENT, hash, Optional.of(agentId), claims.sub(), r),
                        askTimeout))
        .thenApply(
            reply ->
                reply.isSuccess()
                    ? Optional.empty()
                    : Optional.of(
                        Outcome.problem(
                            StatusCodes.CONFLICT,
                            reply.getError().getMessage(),
                            List.of(new FieldError("username", reply.getError().getMessage())))));
  }

  /** The given campaigns that do not exist (an agent assigned to those could never be used). */
  private CompletionStage<List<String>> unknownCampaigns(Set<String> campaignIds) {
    List<CompletableFuture<Optional<String>>> checks = new ArrayList<>();
    for (String campaignId : campaignIds) {
      checks.add(
          ClusterSharding.get(system)
              .entityRefFor(Campaign.ENTITY_KEY, campaignId)
              .ask(Campaign.GetSummary::new, askTimeout)
              .thenApply(c -> Optional.of(campaignId).filter(x -> c.config() == null))
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                checks.stream()
                    .map(CompletableFuture::join)
                    .flatMap(Optional::stream)
                    .sorted()
                    .toList());
  }

  // ---- validation ----

  private static void validate(AgentChange body, boolean required, List<FieldError> errors) {
    if (body.displayName() != null || required) {
      if (body.displayName() == null || body.displayName().isBlank()) {
        errors.add(new FieldError("displayName", "is required"));
      } else if (body.displayName().length() > MAX_NAME_LENGTH) {
        errors.add(
            new FieldError("displayName", "must be at most " + MAX_NAME_LENGTH + " characters"));
      }
    }
    if (body.phoneEndpoint() != null || required) {
      if (body.phoneEndpoint() == null
          || !ENDPOINT.matcher(body.phoneEndpoint().trim()).matches()) {
        errors.add(
            new FieldError(
                "phoneEndpoint",
                "must be a dial string TECH/resource, e.g. PJSIP/1001 or Local/1001@agents"
                    + " (no '&', ',' or '|')"));
      }
    }
    if (body.campaigns() != null) {
      if (body.campaigns().size() > MAX_CAMPAIGNS) {
        errors.add(new FieldError("campaigns", "at most " + MAX_CAMPAIGNS + " campaigns"));
      }
      for (String campaign : body.campaigns()) {
        if (campaign == null || !AgentCommands.ID.matcher(campaign).matches()) {
          errors.add(new FieldError("campaigns", "'" + campaign + "' is not a campaign id"));
        }
      }
    }
  }

  private static Set<String> campaigns(AgentChange profile) {
    return profile.campaigns() == null
        ? Set.of()
        : Set.copyOf(new LinkedHashSet<>(profile.campaigns()));
  }

  private static Outcome campaignProblem(List<String> unknown) {
    return Outcome.problem(
        StatusCodes.BAD_REQUEST,
        "invalid agent",
        unknown.stream().map(c -> new FieldError("campaigns", "no campaign " + c)).toList());
  }

  // ---- replies and directives ----

  private Route previewAnswer(
      String id, java.util.function.BiFunction<String, String, CompletionStage<Outcome>> answer) {
    return post(
        () ->
            asAgent(
                id,
                claims ->
                    bodies.body(
                        PreviewCommands.PreviewRequest.class,
                        false,
                        b -> reply(answer.apply(id, b.attemptId())))));
  }

  private Route reply(CompletionStage<Outcome> result) {
    return onSuccess(
        result,
        outcome ->
            outcome.isOk()
                ? complete(
                    StatusCodes.OK, AgentViews.of(outcome.summary()), Json.marshaller(system))
                : problem(outcome));
  }

  private Route problem(Outcome outcome) {
    return complete(
        Problems.response(mapper, outcome.status(), outcome.detail(), outcome.errors()));
  }

  private Route invalid(String detail, List<FieldError> errors) {
    return complete(Problems.response(mapper, StatusCodes.BAD_REQUEST, detail, errors));
  }

  private Route admin(Function<AccessTokens.Claims, Route> inner) {
    return authenticator.authenticated(Authenticator.ADMIN, inner);
  }

  private Route staff(Function<AccessTokens.Claims, Route> inner) {
    return authenticator.authenticated(Authenticator.STAFF, inner);
  }

  /** Any role, but an AGENT only as itself. */
  private Route asAgent(String id, Function<AccessTokens.Claims, Route> inner) {
    return authenticator.authenticated(
        Authenticator.ANY_ROLE, claims -> self(claims, id, () -> inner.apply(claims)));
  }

  private Route self(AccessTokens.Claims claims, String id, Supplier<Route> inner) {
    if (!Authenticator.mayActAsAgent(claims, id)) {
      return complete(
          Problems.response(
              mapper,
              StatusCodes.FORBIDDEN,
              "an agent may only act as itself (" + claims.agentId().orElse("?") + ")",
              List.of()));
    }
    return inner.get();
  }

  private static CompletionStage<Outcome> done(Outcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }
}
