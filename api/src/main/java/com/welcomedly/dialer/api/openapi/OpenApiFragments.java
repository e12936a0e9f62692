package com.welcomedly.dialer.api.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the OpenAPI fragments ({@code openapi/paths/*.yaml}) on the classpath by listing the
 * folder, in a directory (tests, IDE) or inside a jar (the packaged node), so a route group
 * documents itself by adding a file: there is no index to forget.
 */
public final class OpenApiFragments {

  public static final String FOLDER = "openapi/paths/";

  /** One fragment: its file name (for error messages) and its YAML text. */
  public record Fragment(String name, String yaml) {}

  private OpenApiFragments() {}

  /** Every fragment under {@link #FOLDER}, sorted by name. */
  public static List<Fragment> load(ClassLoader classLoader) {
    Map<String, String> found = new TreeMap<>();
    try {
      Enumeration<URL> roots = classLoader.getResources(FOLDER);
      for (URL root : Collections.list(roots)) {
        for (Fragment fragment : list(root)) {
          String earlier = found.putIfAbsent(fragment.name(), fragment.yaml());
          // The same jar twice on a classpath is harmless; two different files of one name are not.
          if (earlier != null && !earlier.equals(fragment.yaml())) {
            throw new IllegalStateException(
                "two different OpenAPI fragments named " + FOLDER + fragment.name());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + FOLDER, e);
    }
    List<Fragment> fragments = new ArrayList<>();
    found.forEach((name, yaml) -> fragments.add(new Fragment(name, yaml)));
    return fragments;
  }

  private static List<Fragment> list(URL root) throws IOException {
    return switch (root.getProtocol()) {
      case "file" -> listDirectory(root);
      case "jar" -> listJar(root);
      default ->
          throw new IllegalStateException(
              "cannot list OpenAPI fragments in " + root + " (neither a directory nor a jar)");
    };
  }

  private static List<Fragment> listDirectory(URL root) throws IOException {
    Path folder;
    try {
      folder = Path.of(root.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("unreadable classpath folder " + root, e);
    }
    List<Fragment> fragments = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(OpenApiFragments::isYaml).toList()) {
        fragments.add(
            new Fragment(
                file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8)));
      }
    }
    return fragments;
  }

  private static List<Fragment> listJar(URL root) throws IOException {
    JarURLConnection connection = (JarURLConnection) root.openConnection();
    // A private JarFile: closing it cannot break a cached one the class loader still reads.
    connection.setUseCaches(false);
    List<Fragment> fragments = new ArrayList<>();
    try (JarFile jar = connection.getJarFile()) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (!entry.isDirectory()
            && name.startsWith(FOLDER)
            && name.indexOf('/', FOLDER.length()) < 0
            && name.endsWith(".yaml")) {
          try (InputStream in = jar.getInputStream(entry)) {
            fragments.add(
                new Fragment(
                    name.substring(FOLDER.length()),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)));
          }
        }
      }
    }
    return fragments;
  }

  private static boolean isYaml(Path file) {
    return Files.isRegularFile(file) && file.getFileName().toString().endsWith(".yaml");
  }
}
