package com.welcomedly.dialer.api.openapi;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/openapi.json}: the API's OpenAPI 3 document, public. It is assembled and written
 * once, when the node starts, so a broken fragment stops the node instead of a client.
 */
public final class OpenApiRoutes {

  private final HttpResponse document;

  public OpenApiRoutes() {
    byte[] json = OpenApiDocument.json(OpenApiDocument.load(OpenApiRoutes.class.getClassLoader()));
    this.document =
        HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json));
  }

  public Route routes() {
    return pathPrefix("api", () -> path("openapi.json", () -> get(() -> complete(document))));
  }
}
