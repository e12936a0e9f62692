package com.welcomedly.dialer.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.api.openapi.OpenApiFragments.Fragment;
import io.swagger.v3.oas.models.OpenAPI;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Assembling the document from base + fragments, and every way a fragment can be broken. */
class OpenApiDocumentTest {

  private static final Path SOURCE_FRAGMENTS = Path.of("src/main/resources/openapi/paths");

  private static final String BASE =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      components:
        schemas:
          Problem: {type: object}
      """;

  private static final String HEALTH =
      """
      paths:
        /health:
          get:
            security: []
            responses:
              "200": {description: up}
      """;

  @Test
  void theProjectsFragmentsAssembleWithoutError() {
    OpenAPI document = OpenApiDocument.load(getClass().getClassLoader());

    assertTrue(document.getPaths().containsKey("/api/campaigns/{campaignId}/pacing"));
    assertTrue(document.getComponents().getResponses().containsKey("Problem"));
    assertTrue(document.getComponents().getSecuritySchemes().containsKey("bearerAuth"));
  }

  /**
   * The folder listing is what picks up a new route group's fragment: it must see exactly the files
   * in the source folder (none missed, e.g. a later agents.yaml or stats.yaml).
   */
  @Test
  void everyFragmentFileInTheSourceFolderIsDiscovered() throws IOException {
    List<String> onDisk;
    try (Stream<Path> files = Files.list(SOURCE_FRAGMENTS)) {
      onDisk =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .sorted()
              .toList();
    }
    List<String> discovered =
        OpenApiFragments.load(getClass().getClassLoader()).stream().map(Fragment::name).toList();

    assertEquals(onDisk, discovered);
    assertTrue(discovered.containsAll(List.of("health.yaml", "campaigns.yaml")), "" + discovered);
  }

  /** The packaged node reads its fragments out of dialer-api.jar. */
  @Test
  void fragmentsAreFoundInsideAJar(@TempDir Path dir) throws IOException {
    Path jar = dir.resolve("fragments.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      directory(out, "openapi/");
      directory(out, "openapi/paths/");
      file(out, "openapi/base.yaml", BASE);
      file(out, "openapi/paths/health.yaml", HEALTH);
      file(out, "openapi/paths/README.txt", "not a fragment");
      directory(out, "openapi/paths/old/");
      file(out, "openapi/paths/old/stale.yaml", "not: [a fragment");
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertEquals(
          List.of("health.yaml"),
          OpenApiFragments.load(loader).stream().map(Fragment::name).toList());
      assertTrue(OpenApiDocument.load(loader).getPaths().containsKey("/health"));
    }
  }

  @Test
  void aPathInTwoFragmentsFailsNamingBoth() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                OpenApiDocument.assemble(
                    BASE, List.of(new Fragment("a.yaml", HEALTH), new Fragment("b.yaml", HEALTH))));
    assertTrue(
        e.getMessage().contains("path /health is defined in both a.yaml and b.yaml"),
        e.getMessage());
  }

  @Test
  void aComponentInTwoPlacesFails() {
    String fragment =
        HEALTH
            + """
            components:
              schemas:
                Problem: {type: string}
            """;
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> OpenApiDocument.assemble(BASE, List.of(new Fragment("c.yaml", fragment))));
    assertTrue(
        e.getMessage()
            .contains("components.schemas Problem is defined in both base.yaml and c.yaml"),
        e.getMessage());
  }

  @Test
  void invalidYamlFails() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                OpenApiDocument.assemble(
                    BASE, List.of(new Fragment("bad.yaml", "paths:\n  /x: [unclosed\n"))));
    assertTrue(e.getMessage().startsWith("bad.yaml is not valid YAML"), e.getMessage());
  }

  @Test
  void aKeyTwiceInOneFragmentFails() {
    String twice = HEALTH + "  /health:\n    get: {responses: {\"200\": {description: x}}}\n";
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> OpenApiDocument.assemble(BASE, List.of(new Fragment("twice.yaml", twice))));
    assertTrue(e.getMessage().contains("twice.yaml"), e.getMessage());
  }

  @Test
  void onlyPathsAndComponentsAreAllowedAtTheTop() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                OpenApiDocument.assemble(
                    BASE, List.of(new Fragment("top.yaml", HEALTH + "info: {title: x}\n"))));
    assertTrue(e.getMessage().contains("top.yaml: only paths and components"), e.getMessage());
  }

  @Test
  void aMisspeltKeywordFails() {
    String typo = HEALTH.replace("responses:", "reponses:");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> OpenApiDocument.assemble(BASE, List.of(new Fragment("typo.yaml", typo))));
    assertTrue(
        e.getMessage().contains("/paths/~1health/get/reponses was dropped")
            || e.getMessage().contains("reponses"),
        e.getMessage());
  }

  @Test
  void aReferenceToNothingFails() {
    String dangling =
        HEALTH.replace(
            "\"200\": {description: up}", "\"200\": {$ref: \"#/components/responses/Nope\"}");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> OpenApiDocument.assemble(BASE, List.of(new Fragment("ref.yaml", dangling))));
    assertTrue(e.getMessage().contains("#/components/responses/Nope"), e.getMessage());
  }

  private static void directory(JarOutputStream out, String name) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.closeEntry();
  }

  private static void file(JarOutputStream out, String name, String text) throws IOException {
    out.putNextEntry(new JarEntry(name));
    OutputStream body = out;
    body.write(text.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }
}
