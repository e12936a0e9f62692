package com.welcomedly.dialer.engine.compliance;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * When a callee may be called, per weekday, in the callee's own local time. A weekday without an
 * entry is closed. Rules are evaluated on the callee's wall clock, so a DST change moves the window
 * with the callee instead of shifting it by an hour.
 */
public record CallingWindow(Map<DayOfWeek, Hours> days) implements CborSerializable {

  /** Opening hours of one day: {@code start} inclusive, {@code end} exclusive, local time. */
  public record Hours(LocalTime start, LocalTime end) implements CborSerializable {}

  public static final LocalTime DEFAULT_START = LocalTime.of(8, 0);
  public static final LocalTime DEFAULT_END = LocalTime.of(21, 0);

  public CallingWindow {
    days = Map.copyOf(days);
  }

  /** 08:00–21:00 callee local time, every day (the usual US TCPA/TSR hours). */
  public static CallingWindow standard() {
    return everyDay(DEFAULT_START, DEFAULT_END);
  }

  public static CallingWindow everyDay(LocalTime start, LocalTime end) {
    Map<DayOfWeek, Hours> days = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : DayOfWeek.values()) {
      days.put(day, new Hours(start, end));
    }
    return new CallingWindow(days);
  }

  public CallingWindow closedOn(DayOfWeek day) {
    Map<DayOfWeek, Hours> copy = new EnumMap<>(DayOfWeek.class);
    copy.putAll(days);
    copy.remove(day);
    return new CallingWindow(copy);
  }

  public boolean openAt(Instant now, ZoneId calleeZone) {
    ZonedDateTime local = now.atZone(calleeZone);
    Hours hours = days.get(local.getDayOfWeek());
    LocalTime time = local.toLocalTime();
    return hours != null && !time.isBefore(hours.start()) && time.isBefore(hours.end());
  }

  /**
   * The next instant at or after {@code now} when the window opens in the callee's zone, or null
   * when it never opens (no day has hours).
   */
  public Instant nextOpening(Instant now, ZoneId calleeZone) {
    if (openAt(now, calleeZone)) {
      return now;
    }
    ZonedDateTime local = now.atZone(calleeZone);
    for (int day = 0; day <= 7; day++) {
      ZonedDateTime date = local.plusDays(day);
      Hours hours = days.get(date.getDayOfWeek());
      if (hours == null) {
        continue;
      }
      ZonedDateTime opening = date.toLocalDate().atTime(hours.start()).atZone(calleeZone);
      if (opening.toInstant().isAfter(now)) {
        return opening.toInstant();
      }
    }
    return null;
  }

  /**
   * The window as text, days in week order: {@code MONDAY 08:00-21:00,TUESDAY 08:00-21:00}; a
   * closed day is left out. Read back by {@link #parse}; the compliance report prints it as the
   * window in force.
   */
  public String toText() {
    List<String> parts = new ArrayList<>();
    for (DayOfWeek day : DayOfWeek.values()) {
      Hours hours = days.get(day);
      if (hours != null) {
        parts.add(day + " " + hours.start() + "-" + hours.end());
      }
    }
    return String.join(",", parts);
  }

  public static CallingWindow parse(String text) {
    Map<DayOfWeek, Hours> days = new EnumMap<>(DayOfWeek.class);
    if (text != null && !text.isBlank()) {
      for (String part : text.split(",")) {
        String[] dayAndHours = part.trim().split(" ");
        String[] hours = dayAndHours[1].split("-");
        days.put(
            DayOfWeek.valueOf(dayAndHours[0]),
            new Hours(LocalTime.parse(hours[0]), LocalTime.parse(hours[1])));
      }
    }
    return new CallingWindow(days);
  }

  /** Why this window is not valid, empty when it is. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    days.forEach(
        (day, hours) -> {
          if (hours == null || hours.start() == null || hours.end() == null) {
            problems.add("calling window for " + day + " needs a start and an end");
          } else if (!hours.start().isBefore(hours.end())) {
            problems.add("calling window for " + day + " must start before it ends");
          }
        });
    return problems;
  }
}
