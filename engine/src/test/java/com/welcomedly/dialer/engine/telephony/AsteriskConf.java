package com.welcomedly.dialer.engine.telephony;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reader of Asterisk's {@code .conf} syntax as far as {@code asterisk-config/} uses it: sections
 * ({@code [name]}, templates {@code [name](!)}), {@code key = value} and {@code key => value}
 * lines, {@code ;} comments ({@code \;} is a literal semicolon), {@code #include}/{@code
 * #tryinclude} noted but not followed. For {@code extensions.conf} it also reads each context's
 * priorities ({@code exten => s,1,App(args)}, {@code same => n(label),App(args)}) so the static
 * checks can reason about the dialplan.
 */
record AsteriskConf(Path file, Map<String, List<Entry>> sections, List<String> includes) {

  /** One {@code key = value} (or {@code key => value}) line. */
  record Entry(String key, String value, int line) {}

  /** One dialplan step: {@code exten}, numeric priority, optional label, application, args. */
  record Step(String exten, int priority, String label, String app, String args, int line) {
    @Override
    public String toString() {
      return exten
          + ","
          + priority
          + (label == null ? "" : "(" + label + ")")
          + ","
          + app
          + "("
          + args
          + ") at line "
          + line;
    }
  }

  private static final Pattern SECTION = Pattern.compile("^\\[([^\\]]+)\\](\\(.*\\))?\\s*$");
  private static final Pattern KEY_VALUE = Pattern.compile("^([^=]+?)\\s*=>?\\s*(.*)$");
  private static final Pattern PRIORITY = Pattern.compile("^(\\d+|n)(?:\\(([^)]+)\\))?$");

  static AsteriskConf read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<Entry>> sections = new LinkedHashMap<>();
    List<String> includes = new ArrayList<>();
    List<Entry> current = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = stripComment(lines.get(i)).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#include") || line.startsWith("#tryinclude")) {
        includes.add(line.substring(line.indexOf(' ') + 1).strip().replace("\"", ""));
        continue;
      }
      Matcher section = SECTION.matcher(line);
      if (section.matches()) {
        current = sections.computeIfAbsent(section.group(1).strip(), k -> new ArrayList<>());
        continue;
      }
      Matcher kv = KEY_VALUE.matcher(line);
      if (kv.matches() && current != null) {
        current.add(new Entry(kv.group(1).strip(), kv.group(2).strip(), i + 1));
      }
    }
    return new AsteriskConf(file, sections, includes);
  }

  static String stripComment(String line) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == ';') {
        out.append(';');
        i++;
      } else if (c == ';') {
        break;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  boolean has(String section) {
    return sections.containsKey(section);
  }

  Optional<String> value(String section, String key) {
    return sections.getOrDefault(section, List.of()).stream()
        .filter(e -> e.key().equalsIgnoreCase(key))
        .map(Entry::value)
        .reduce((first, second) -> second); // Asterisk: the last one wins
  }

  /** The dialplan of one context, in file order, with {@code n} priorities numbered. */
  List<Step> steps(String context) {
    List<Step> steps = new ArrayList<>();
    String exten = null;
    int priority = 0;
    for (Entry e : sections.getOrDefault(context, List.of())) {
      String rest;
      if (e.key().equals("exten")) {
        int comma = e.value().indexOf(',');
        exten = e.value().substring(0, comma).strip();
        rest = e.value().substring(comma + 1);
      } else if (e.key().equals("same")) {
        rest = e.value();
      } else {
        continue; // include => other-context, switches: not steps
      }
      int comma = rest.indexOf(',');
      Matcher p = PRIORITY.matcher(rest.substring(0, comma).strip());
      if (!p.matches()) {
        throw new IllegalStateException("unreadable priority at line " + e.line() + ": " + rest);
      }
      priority = p.group(1).equals("n") ? priority + 1 : Integer.parseInt(p.group(1));
      String call = rest.substring(comma + 1).strip();
      int paren = call.indexOf('(');
      String app = paren < 0 ? call : call.substring(0, paren).strip();
      String args = paren < 0 ? "" : call.substring(paren + 1, call.lastIndexOf(')'));
      steps.add(new Step(exten, priority, p.group(2), app, args, e.line()));
    }
    return steps;
  }

  /**
   * Splits application arguments on top-level commas (not inside {@code ${...}}, {@code $[...]} or
   * parentheses).
   */
  static List<String> args(String args) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : args.toCharArray()) {
      if (c == '{' || c == '[' || c == '(') {
        depth++;
      } else if (c == '}' || c == ']' || c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        out.add(cur.toString().strip());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString().strip());
    return out;
  }
}
