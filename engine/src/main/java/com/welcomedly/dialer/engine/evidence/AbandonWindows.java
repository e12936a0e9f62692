package com.welcomedly.dialer.engine.evidence;

import com.welcomedly.dialer.engine.evidence.ComplianceReport.AbandonRate;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.Figure;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The rolling abandon rate of a regulated window over a period, exactly: the rate only changes when
 * a live answer enters the window (at its time) or leaves it (one window length later), so
 * evaluating it at those instants inside the period finds the true peak. A window ending at {@code
 * t} holds the live answers of {@code (t - length, t]}. Pure; no clock.
 */
final class AbandonWindows {

  /** One live answer: connected to an agent, or abandoned. */
  record LiveAnswer(Instant at, boolean abandoned) {}

  private AbandonWindows() {}

  /**
   * @param answers live answers from at least {@code from - length} to {@code to}, any order
   */
  static AbandonRate rate(
      String name, Duration length, List<LiveAnswer> answers, Instant from, Instant to) {
    List<LiveAnswer> sorted =
        answers.stream().sorted(Comparator.comparing(LiveAnswer::at)).toList();
    long[] abandonsUpTo = new long[sorted.size() + 1];
    for (int i = 0; i < sorted.size(); i++) {
      abandonsUpTo[i + 1] = abandonsUpTo[i] + (sorted.get(i).abandoned() ? 1 : 0);
    }
    Instant end = to.minusNanos(1); // the period is [from, to)
    TreeSet<Instant> points = new TreeSet<>();
    points.add(from);
    for (LiveAnswer answer : sorted) {
      addIfInside(points, answer.at(), from, end);
      addIfInside(points, answer.at().plus(length), from, end);
    }
    Figure peak = null;
    for (Instant point : points) {
      Figure figure = figure(sorted, abandonsUpTo, length, point);
      if (peak == null || figure.percent() > peak.percent()) {
        peak = figure;
      }
    }
    return new AbandonRate(name, figure(sorted, abandonsUpTo, length, end), peak);
  }

  private static void addIfInside(TreeSet<Instant> points, Instant t, Instant from, Instant end) {
    if (!t.isBefore(from) && !t.isAfter(end)) {
      points.add(t);
    }
  }

  private static Figure figure(
      List<LiveAnswer> sorted, long[] abandonsUpTo, Duration length, Instant at) {
    int last = upperBound(sorted, at); // answers at or before 'at'
    int first = upperBound(sorted, at.minus(length)); // answers at or before the window's start
    long answers = last - first;
    long abandons = abandonsUpTo[last] - abandonsUpTo[first];
    double percent = answers == 0 ? 0.0 : Math.round(abandons * 10000.0 / answers) / 100.0;
    return new Figure(at, answers, abandons, percent);
  }

  /** How many answers are at or before {@code t}. */
  private static int upperBound(List<LiveAnswer> sorted, Instant t) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).at().isAfter(t)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
