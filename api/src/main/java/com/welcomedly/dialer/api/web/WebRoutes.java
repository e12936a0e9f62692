package com.welcomedly.dialer.api.web;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;

import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The browser console, served by the node itself on the API's origin (so no CORS, and the token the
 * login returns works for REST and WebSockets alike): {@code /} is the single page, {@code /app/*}
 * its ES modules and CSS from the jar's {@code web/app} resources, {@code /vendor/uplot/*} the
 * chart library from its WebJar. No build step: what is in the jar is what the browser runs.
 *
 * <p>Caching: the page and the app's modules are revalidated on every load ({@code no-cache}, the
 * resources carry a Last-Modified from the jar), so a new node version is picked up at once; the
 * vendored library's URL changes with its version, so it is cached for a year.
 */
public final class WebRoutes {

  /** The uPlot WebJar's version: it names the resource folder inside the jar. */
  static final String UPLOT_VERSION = "1.6.30";

  private static final List<HttpHeader> SECURITY =
      List.of(
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("Referrer-Policy", "no-referrer"),
          RawHeader.create(
              "Content-Security-Policy",
              "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:;"
                  + " style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"));

  public Route routes() {
    // The method is matched inside each path, so another method on an unknown path stays a 404
    // (a method directive outside would turn every unmatched request into a 405).
    return concat(
        pathEndOrSingleSlash(
            () ->
                get(
                    () ->
                        headers(
                            CacheControl.create(CacheDirectives.NO_CACHE),
                            () -> getFromResource("web/index.html", ContentTypes.TEXT_HTML_UTF8)))),
        pathPrefix(
            "app",
            () ->
                get(
                    () ->
                        headers(
                            CacheControl.create(CacheDirectives.NO_CACHE),
                            () -> getFromResourceDirectory("web/app")))),
        pathPrefix(
            "vendor",
            () ->
                pathPrefix(
                    "uplot",
                    () ->
                        get(
                            () ->
                                headers(
                                    CacheControl.create(
                                        CacheDirectives.PUBLIC,
                                        CacheDirectives.MAX_AGE(365L * 24 * 3600)),
                                    () ->
                                        getFromResourceDirectory(
                                            "META-INF/resources/webjars/uplot/"
                                                + UPLOT_VERSION
                                                + "/dist"))))));
  }

  private static Route headers(HttpHeader cache, java.util.function.Supplier<Route> inner) {
    List<HttpHeader> all = new java.util.ArrayList<>(SECURITY);
    all.add(cache);
    return respondWithHeaders(all, inner);
  }
}
