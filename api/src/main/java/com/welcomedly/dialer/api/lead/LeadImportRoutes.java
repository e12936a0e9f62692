package com.welcomedly.dialer.api.lead;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractDataBytes;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeader;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.api.RequestBodies;
import com.welcomedly.dialer.api.auth.AccessTokens;
import com.welcomedly.dialer.api.auth.Authenticator;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.leadimport.ImportJob;
import com.welcomedly.dialer.engine.leadimport.ImportJobs;
import com.welcomedly.dialer.engine.leadimport.ImportRow;
import com.welcomedly.dialer.engine.leadimport.ImportSources;
import com.welcomedly.dialer.engine.leadimport.JobStatus;
import com.welcomedly.dialer.engine.leadimport.LeadRowValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.IOResult;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import scala.util.Try;

/**
 * Lead imports: {@code POST /api/campaigns/{id}/leads} (CSV streamed or JSON) and {@code GET
 * /api/imports/{jobId}}. Every import is an {@link ImportJob} on this node; the POST waits for a
 * small one and answers 200 with the result, a large one (or one still running after the inline
 * timeout) answers 202 with a Location to poll. Jobs are kept in memory only: after a restart the
 * job is unknown (404), though every lead it imported stays imported.
 */
public final class LeadImportRoutes {

  /** JSON import body. {@code priority} is read loosely so a bad value rejects only its row. */
  public record ImportRequest(List<LeadInput> leads) {}

  public record LeadInput(
      String id,
      List<String> phones,
      String timezone,
      JsonNode priority,
      Map<String, String> customFields) {}

  public record RejectionView(int line, String reason) {}

  /** The import's result or progress; {@code total} is null while a streamed CSV is still read. */
  public record ImportView(
      String jobId,
      String campaignId,
      String state,
      long processed,
      long accepted,
      long rejectedCount,
      List<RejectionView> rejected,
      Long total,
      String error,
      Instant startedAt,
      Instant finishedAt) {
    static ImportView of(JobStatus s) {
      return new ImportView(
          s.jobId(),
          s.campaignId(),
          s.state().name(),
          s.processed(),
          s.accepted(),
          s.rejectedCount(),
          s.rejected().stream().map(r -> new RejectionView(r.line(), r.reason())).toList(),
          s.total(),
          s.error(),
          s.startedAt(),
          s.finishedAt());
    }
  }

  private static final Pattern JOB_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final RequestBodies bodies;
  private final Authenticator authenticator;
  private final Duration askTimeout;
  private final ActorRef<ImportJobs.Command> jobs;
  private final Executor blocking;
  private final int inlineMaxRows;
  private final Duration inlineTimeout;
  private final long maxBytes;
  private final int maxLineBytes;

  public LeadImportRoutes(ActorSystem<?> system, Authenticator authenticator) {
    this.system = system;
    this.mapper = Json.mapper(system);
    this.bodies = new RequestBodies(system);
    this.authenticator = authenticator;
    Config config = system.settings().config();
    this.askTimeout = config.getDuration("dialer.api.ask-timeout");
    Config imports = config.getConfig("dialer.api.import");
    this.inlineMaxRows = imports.getInt("inline-max-rows");
    this.inlineTimeout = imports.getDuration("inline-timeout");
    this.maxBytes = imports.getBytes("max-bytes");
    this.maxLineBytes = imports.getBytes("max-line-bytes").intValue();
    ImportJob.Settings settings =
        new ImportJob.Settings(
            imports.getDuration("job-retention"), imports.getInt("max-rejections-kept"));
    this.jobs =
        system.systemActorOf(
            ImportJobs.create(settings, Clock.systemUTC()), "lead-imports", Props.empty());
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
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
                            campaignId ->
                                path(
                                    "leads",
                                    () ->
                                        post(
                                            () ->
                                                authenticator.authenticated(
                                                    Authenticator.STAFF,
                                                    claims -> importInto(claims, campaignId)))))),
                pathPrefix(
                    "imports",
                    () ->
                        pathPrefix(
                            PathMatchers.segment(),
                            jobId ->
                                pathEnd(
                                    () ->
                                        get(
                                            () ->
                                                authenticator.authenticated(
                                                    Authenticator.STAFF,
                                                    claims -> readJob(jobId))))))));
  }

  /** The campaign must exist before a byte of the body is read: 404 costs the client nothing. */
  private Route importInto(AccessTokens.Claims claims, String campaignId) {
    return extractRequestEntity(
        request -> {
          var mediaType = request.getContentType().mediaType();
          boolean csv = mediaType.equals(MediaTypes.TEXT_CSV);
          if (!csv && !mediaType.equals(MediaTypes.APPLICATION_JSON)) {
            return problem(
                StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                "send leads as text/csv (header row first) or application/json, not " + mediaType,
                List.of(new FieldError("Content-Type", "must be text/csv or application/json")));
          }
          return onComplete(
              campaignExists(campaignId),
              (Try<Boolean> exists) -> {
                if (exists.isFailure()) {
                  return unavailable();
                }
                if (!exists.get()) {
                  return problem(StatusCodes.NOT_FOUND, "no campaign " + campaignId, List.of());
                }
                return csv ? importCsv(claims, campaignId) : importJson(claims, campaignId);
              });
        });
  }

  private Route importCsv(AccessTokens.Claims claims, String campaignId) {
    return withSizeLimit(
        maxBytes,
        () ->
            extractDataBytes(
                bytes ->
                    onComplete(
                        spool(bytes),
                        (Try<Spooled> spooled) -> {
                          if (spooled.isFailure()) {
                            return uploadFailed(spooled.failed().get());
                          }
                          Spooled file = spooled.get();
                          String jobId = UUID.randomUUID().toString();
                          Source<ImportRow, ?> rows =
                              FileIO.fromPath(file.path())
                                  .via(ImportSources.csv(jobId, maxLineBytes));
                          ImportJob.Spec spec =
                              new ImportJob.Spec(
                                  jobId,
                                  campaignId,
                                  claims.sub(),
                                  rows,
                                  null,
                                  () -> delete(file.path()));
                          // Physical lines minus the header: an upper bound on rows.
                          return run(spec, file.lines() - 1);
                        })));
  }

  private Route importJson(AccessTokens.Claims claims, String campaignId) {
    return bodies.body(
        ImportRequest.class,
        body -> {
          if (body.leads() == null || body.leads().isEmpty()) {
            return problem(
                StatusCodes.BAD_REQUEST,
                "no leads to import",
                List.of(new FieldError("leads", "must be a non-empty array")));
          }
          String jobId = UUID.randomUUID().toString();
          LeadRowValidator validator = new LeadRowValidator(jobId);
          List<ImportRow> rows = new ArrayList<>();
          for (int i = 0; i < body.leads().size(); i++) {
            LeadInput in = body.leads().get(i);
            rows.add(
                in == null
                    ? new ImportRow.Invalid(i + 1, "lead entry is null")
                    : validator.validate(
                        i + 1,
                        in.id(),
                        in.phones(),
                        in.timezone(),
                        priorityText(in.priority()),
                        in.customFields()));
          }
          ImportJob.Spec spec =
              new ImportJob.Spec(
                  jobId, campaignId, claims.sub(), Source.from(rows), (long) rows.size(), () -> {});
          return run(spec, rows.size());
        });
  }

  /** Starts the job; waits for it when small, else (or when it outlasts the wait) answers 202. */
  private Route run(ImportJob.Spec spec, long estimatedRows) {
    CompletionStage<JobStatus> started =
        AskPattern.ask(jobs, r -> new ImportJobs.Start(spec, r), askTimeout, system.scheduler());
    CompletionStage<Pair<JobStatus, Boolean>> outcome =
        started.thenCompose(
            status -> {
              if (estimatedRows > inlineMaxRows) {
                return CompletableFuture.completedFuture(Pair.create(status, false));
              }
              CompletionStage<JobStatus> ended =
                  AskPattern.ask(
                      jobs,
                      r -> new ImportJobs.AwaitEnd(spec.jobId(), r),
                      inlineTimeout,
                      system.scheduler());
              return ended
                  .thenApply(s -> Pair.create(s, true))
                  .exceptionally(timeout -> Pair.create(status, false));
            });
    return onComplete(
        outcome,
        (Try<Pair<JobStatus, Boolean>> result) -> {
          if (result.isFailure()) {
            return unavailable();
          }
          JobStatus status = result.get().first();
          if (!result.get().second()) {
            return respondWithHeader(
                Location.create("/api/imports/" + status.jobId()),
                () ->
                    complete(StatusCodes.ACCEPTED, ImportView.of(status), Json.marshaller(system)));
          }
          if (status.state() == JobStatus.State.FAILED) {
            return problem(
                StatusCodes.BAD_REQUEST,
                status.error()
                    + " (import "
                    + status.jobId()
                    + ": "
                    + status.accepted()
                    + " leads were imported before it stopped)",
                List.of(new FieldError("body", status.error())));
          }
          return complete(StatusCodes.OK, ImportView.of(status), Json.marshaller(system));
        });
  }

  private Route readJob(String jobId) {
    if (!JOB_ID.matcher(jobId).matches()) {
      return problem(StatusCodes.NOT_FOUND, "no import job " + jobId, List.of());
    }
    CompletionStage<JobStatus.Lookup> lookup =
        AskPattern.ask(jobs, r -> new ImportJobs.Get(jobId, r), askTimeout, system.scheduler());
    return onComplete(
        lookup,
        (Try<JobStatus.Lookup> found) -> {
          if (found.isFailure()) {
            return unavailable();
          }
          if (found.get().status() == null) {
            return problem(
                StatusCodes.NOT_FOUND,
                "no import job "
                    + jobId
                    + " on this node (jobs live in the memory of the node that ran them)",
                List.of());
          }
          return complete(
              StatusCodes.OK, ImportView.of(found.get().status()), Json.marshaller(system));
        });
  }

  private CompletionStage<Boolean> campaignExists(String campaignId) {
    return ClusterSharding.get(system)
        .entityRefFor(Campaign.ENTITY_KEY, campaignId)
        .ask(Campaign.GetSummary::new, askTimeout)
        .thenApply(summary -> summary.config() != null);
  }

  private record Spooled(Path path, long lines) {}

  /**
   * Writes the upload to a temp file while counting its lines, so the body is never held in memory
   * and the job can read it at the database's pace after the response has gone out.
   */
  private CompletionStage<Spooled> spool(Source<ByteString, ?> bytes) {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return Files.createTempFile("lead-import-", ".csv");
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            blocking)
        .thenCompose(
            file -> {
              Pair<CompletionStage<Long>, CompletionStage<IOResult>> written =
                  bytes
                      .alsoToMat(
                          Sink.fold(0L, (Long n, ByteString chunk) -> n + newlines(chunk)),
                          Keep.right())
                      .toMat(FileIO.toPath(file), Keep.both())
                      .run(system);
              CompletionStage<Spooled> done =
                  written
                      .second()
                      .thenCombine(
                          written.first(), (io, newlines) -> new Spooled(file, newlines + 1));
              return done.whenComplete(
                  (ok, failure) -> {
                    if (failure != null) {
                      delete(file);
                    }
                  });
            });
  }

  private static long newlines(ByteString chunk) {
    long n = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (chunk.apply(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private void delete(Path file) {
    CompletableFuture.runAsync(
        () -> {
          try {
            Files.deleteIfExists(file);
          } catch (IOException e) {
            system.log().warn("Could not delete the import spool file {}", file, e);
          }
        },
        blocking);
  }

  private Route uploadFailed(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof EntityStreamSizeException) {
      return problem(
          StatusCodes.PAYLOAD_TOO_LARGE,
          "the CSV is larger than " + maxBytes + " bytes; split it",
          List.of());
    }
    system.log().warn("Lead CSV upload failed: {}", cause.toString());
    return problem(StatusCodes.BAD_REQUEST, "the upload could not be read completely", List.of());
  }

  private static String priorityText(JsonNode priority) {
    if (priority == null || priority.isNull()) {
      return null;
    }
    return priority.isTextual() ? priority.asText() : priority.toString();
  }

  private Route unavailable() {
    return problem(
        StatusCodes.SERVICE_UNAVAILABLE,
        "the cluster did not answer in time; retry later",
        List.of());
  }

  private Route problem(StatusCode status, String detail, List<FieldError> errors) {
    return complete(Problems.response(mapper, status, detail, errors));
  }
}
