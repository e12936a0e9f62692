package com.welcomedly.dialer.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Main;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The served OpenAPI document over a real socket: it parses, every operation states its responses
 * and its security, and every documented operation is really routed on a running node.
 *
 * <p>The converse (every route is documented) cannot be checked from outside: Pekko's route tree is
 * opaque, so a route without a fragment is invisible here. We check instead that each route group
 * of {@code Main.init} has its paths in the document; a new group must add its prefix below.
 */
@ExtendWith(LogCapturingExtension.class)
class OpenApiIntegrationTest {

  /** Pekko's text for a request no route matched (Problems keeps it as the detail). */
  private static final String UNMATCHED = "The requested resource could not be found.";

  private static final List<String> ROUTE_GROUP_PREFIXES =
      List.of(
          "/health",
          "/ready",
          "/api/openapi.json",
          "/api/auth/",
          "/api/users",
          "/api/campaigns",
          "/api/campaigns/{campaignId}/leads",
          "/api/leads/",
          "/api/imports/");

  private static final String ADMIN_PASSWORD = "admin-test-password"; // application-test.conf
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ActorTestKit testKit;
  private static String base;
  private static HttpResponse<String> served;
  private static OpenAPI document;

  @BeforeAll
  static void startNode() throws Exception {
    testKit = ActorTestKit.create("dialer", TestDatabase.config(TestDatabase.fresh("openapi")));
    int port =
        Main.init(testKit.system())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS)
            .localAddress()
            .getPort();
    base = "http://127.0.0.1:" + port;
    served = send("GET", "/api/openapi.json", false);
    document = Json.mapper().readValue(served.body(), OpenAPI.class);
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  @Test
  void theDocumentIsPublicJsonAndParsesAsOpenApi3() {
    assertEquals(200, served.statusCode(), served.body());
    assertTrue(
        served.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertTrue(document.getOpenapi().startsWith("3.0."), document.getOpenapi());
    assertFalse(
        document.getInfo().getVersion().contains("@"), "the project version is filtered in");
    assertEquals(
        "bearer", document.getComponents().getSecuritySchemes().get("bearerAuth").getScheme());
    assertNotNull(
        document
            .getComponents()
            .getResponses()
            .get("Problem")
            .getContent()
            .get("application/problem+json"));
    // What the node serves is exactly what the fragments assemble to: nothing lost on the way.
    assertEquals(
        Json.mapper().valueToTree(OpenApiDocument.load(getClass().getClassLoader())),
        Json.mapper().valueToTree(document));
  }

  @Test
  void everyOperationStatesItsResponsesAndItsSecurity() {
    List<String> problems = new ArrayList<>();
    forEachOperation(
        (path, method, op) -> {
          String name = method + " " + path;
          if (op.getResponses() == null || op.getResponses().isEmpty()) {
            problems.add(name + " has no responses");
          }
          if (op.getSecurity() == null) {
            problems.add(name + " states no security (bearerAuth, or [] for a public one)");
          } else if (!isPublic(op)) {
            if (!op.getSecurity().stream().allMatch(r -> r.containsKey("bearerAuth"))) {
              problems.add(name + " names a security scheme other than bearerAuth");
            }
            if (op.getDescription() == null || !op.getDescription().contains("Roles: ")) {
              problems.add(name + " does not say which roles may call it");
            }
            if (!op.getResponses().containsKey("401")) {
              problems.add(name + " is protected but documents no 401");
            }
          }
          if (op.getOperationId() == null) {
            problems.add(name + " has no operationId");
          }
        });
    assertEquals(List.of(), problems);
  }

  /**
   * Each documented operation, called without a token, reaches its route: a protected one answers
   * 401, a public one anything but an unmatched-route 404 or a 405.
   */
  @Test
  void everyDocumentedOperationIsRouted() {
    List<String> problems = new ArrayList<>();
    forEachOperation(
        (path, method, op) -> {
          String concrete = path.replaceAll("\\{([^}]+)}", "openapi-probe-$1");
          HttpResponse<String> response = send(method, concrete, op.getRequestBody() != null);
          String name =
              method + " " + path + " -> " + response.statusCode() + " " + response.body();
          if (unrouted(response)) {
            problems.add(name + " (not routed)");
          } else if (!isPublic(op) && response.statusCode() != 401) {
            problems.add(name + " (documented as protected, but no 401 without a token)");
          } else if (isPublic(op) && response.statusCode() == 401) {
            problems.add(name + " (documented as public, but asks for a token)");
          }
        });
    assertEquals(List.of(), problems);
  }

  /**
   * Real answers of a real node, one per operation where practical, match their documented schemas:
   * no renamed, missing or undocumented field, no undocumented status.
   */
  @Test
  void realResponsesMatchTheirDocumentedSchemas() {
    TestNodes.awaitBootstrapAdmin(testKit);
    Contract contract = new Contract(new ResponseSchemas(document));
    JsonNode login =
        contract.call(
            "POST",
            "/api/auth/login",
            "/api/auth/login",
            null,
            "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
    String token = login.path("token").asText();
    contract.call("GET", "/health", "/health", null, null);
    contract.call("GET", "/ready", "/ready", null, null);
    contract.call("GET", "/api/auth/me", "/api/auth/me", token, null);
    contract.call("GET", "/api/users/admin", "/api/users/{username}", token, null);
    contract.call(
        "POST",
        "/api/users",
        "/api/users",
        token,
        "{\"username\":\"openapi-sup\",\"password\":\"supervisor-pw-1\",\"role\":\"SUPERVISOR\"}");
    contract.call(
        "POST", "/api/users/openapi-sup/disable", "/api/users/{username}/disable", token, null);

    String config =
        "{\"dialStringTemplate\":\"PJSIP/{number}@carrier\",\"callerId\":\"+12127363100\"}";
    for (String id : List.of("openapi-life", "openapi-leads")) {
      contract.call(
          "POST",
          "/api/campaigns",
          "/api/campaigns",
          token,
          "{\"id\":\"" + id + "\",\"name\":\"OpenAPI\",\"config\":" + config + "}");
    }
    String one = "/api/campaigns/{campaignId}";
    contract.call("GET", "/api/campaigns/openapi-life", one, token, null);
    contract.call("GET", "/api/campaigns?limit=5", "/api/campaigns", token, null);
    contract.call(
        "PATCH",
        "/api/campaigns/openapi-life/pacing",
        one + "/pacing",
        token,
        "{\"targetAbandonPercent\":2.5}");
    contract.call("POST", "/api/campaigns/openapi-life/start", one + "/start", token, null);
    contract.call(
        "POST",
        "/api/campaigns/openapi-life/pause",
        one + "/pause",
        token,
        "{\"reason\":\"lunch\"}");
    contract.call("POST", "/api/campaigns/openapi-life/resume", one + "/resume", token, null);
    contract.call("POST", "/api/campaigns/openapi-life/finish", one + "/finish", token, null);
    contract.call("GET", "/api/campaigns/openapi-life/history", one + "/history", token, null);
    contract.call("GET", "/api/campaigns/openapi-none", one, token, null);
    contract.call("POST", "/api/campaigns", "/api/campaigns", token, "{\"name\":\"\"}");

    JsonNode imported =
        contract.call(
            "POST",
            "/api/campaigns/openapi-leads/leads",
            one + "/leads",
            token,
            "{\"leads\":[{\"id\":\"openapi-l1\",\"phones\":[\"+12127363121\"],"
                + "\"customFields\":{\"plan\":\"gold\"}},{\"id\":\"openapi-l2\",\"phones\":[]}]}");
    contract.call(
        "GET",
        "/api/imports/" + imported.path("jobId").asText(),
        "/api/imports/{jobId}",
        token,
        null);
    contract.call("GET", "/api/leads/openapi-l1", "/api/leads/{leadId}", token, null);
    contract.call("GET", "/api/leads/openapi-l1/dnc", "/api/leads/{leadId}/dnc", token, null);
    contract.call("POST", "/api/leads/openapi-l1/dnc", "/api/leads/{leadId}/dnc", token, null);

    assertEquals(List.of(), contract.problems());
  }

  /** Calls one operation for real and collects how its answer departs from the document. */
  private static final class Contract {
    private final ResponseSchemas schemas;
    private final List<String> problems = new ArrayList<>();

    Contract(ResponseSchemas schemas) {
      this.schemas = schemas;
    }

    JsonNode call(String method, String path, String documented, String token, String body) {
      HttpResponse<String> response = send(method, path, token, body);
      JsonNode json;
      try {
        json = response.body().isEmpty() ? null : JSON.readTree(response.body());
      } catch (IOException e) {
        problems.add(method + " " + path + ": body is not JSON: " + response.body());
        return JSON.nullNode();
      }
      problems.addAll(
          schemas.check(documented, HttpMethod.valueOf(method), response.statusCode(), json));
      return json == null ? JSON.nullNode() : json;
    }

    List<String> problems() {
      return problems;
    }
  }

  /** The probe above tells "not routed" apart from "unknown id": check it on known cases. */
  @Test
  void theRoutingProbeRecognisesUnmatchedRequests() {
    assertTrue(unrouted(send("GET", "/api/no-such-route", false)));
    assertTrue(unrouted(send("PUT", "/health", true)));
    HttpResponse<String> unknownCampaign = send("GET", "/api/campaigns/no-such-campaign", false);
    assertFalse(unrouted(unknownCampaign), unknownCampaign.body());
  }

  @Test
  void everyRouteGroupIsDocumented() {
    for (String prefix : ROUTE_GROUP_PREFIXES) {
      assertTrue(
          document.getPaths().keySet().stream().anyMatch(p -> p.startsWith(prefix)),
          "no documented path starts with " + prefix);
    }
  }

  private static boolean unrouted(HttpResponse<String> response) {
    if (response.statusCode() == 405) {
      return true;
    }
    if (response.statusCode() != 404) {
      return false;
    }
    try {
      JsonNode problem = JSON.readTree(response.body());
      return UNMATCHED.equals(problem.path("detail").asText());
    } catch (IOException e) {
      return true; // a 404 that is not a problem document comes from no route of ours
    }
  }

  private static boolean isPublic(Operation op) {
    List<SecurityRequirement> security = op.getSecurity();
    return security != null && security.isEmpty();
  }

  private interface OperationVisitor {
    void visit(String path, String method, Operation operation);
  }

  private static void forEachOperation(OperationVisitor visitor) {
    assertFalse(document.getPaths().isEmpty());
    for (Map.Entry<String, PathItem> path : document.getPaths().entrySet()) {
      path.getValue()
          .readOperationsMap()
          .forEach((method, op) -> visitor.visit(path.getKey(), method.name(), op));
    }
  }

  /** A request with an empty JSON object as body where the operation takes one. */
  private static HttpResponse<String> send(String method, String path, boolean body) {
    return send(method, path, null, body ? "{}" : null);
  }

  private static HttpResponse<String> send(String method, String path, String token, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (body != null) {
      request
          .method(method, HttpRequest.BodyPublishers.ofString(body))
          .header("Content-Type", "application/json");
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
