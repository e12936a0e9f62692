package com.welcomedly.dialer.bench.node;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import kamon.metric.Distribution;
import kamon.metric.Instrument;
import kamon.metric.MetricSnapshot;
import kamon.metric.PeriodSnapshot;
import kamon.module.MetricReporter;
import kamon.tag.Lookups;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads the node's own Kamon instruments for {@code ./bench-load}: every period snapshot (one a
 * second in the benchmark) of the dialer's histograms for one campaign and of the counters it
 * watches is added to the current phase. The figures are those {@code /metrics} would export, at
 * Kamon's full resolution instead of Prometheus buckets.
 */
final class MetricTap implements MetricReporter {

  /** What one phase accumulated: histograms by metric name, counters by metric name. */
  static final class Phase {
    final Map<String, Distribution> histograms = new HashMap<>();
    final Map<String, Long> counters = new HashMap<>();

    synchronized Distribution histogram(String name) {
      return histograms.get(name);
    }

    /** Every histogram whose name starts with {@code prefix}, by name. */
    synchronized Map<String, Distribution> histogramsStartingWith(String prefix) {
      Map<String, Distribution> found = new java.util.TreeMap<>();
      histograms.forEach(
          (name, d) -> {
            if (name.startsWith(prefix)) {
              found.put(name, d);
            }
          });
      return found;
    }

    synchronized long counter(String name) {
      return counters.getOrDefault(name, 0L);
    }
  }

  private volatile String campaignId;
  private volatile Phase phase;

  /** From now on, samples of {@code campaign} go to a new phase (null: none recorded). */
  Phase begin(String campaign) {
    Phase next = new Phase();
    this.campaignId = campaign;
    this.phase = next;
    return next;
  }

  void end() {
    this.phase = null;
  }

  @Override
  public void reportPeriodSnapshot(PeriodSnapshot snapshot) {
    Phase current = phase;
    String campaign = campaignId;
    if (current == null) {
      return;
    }
    synchronized (current) {
      for (MetricSnapshot<?, Distribution> metric :
          CollectionConverters.asJava(snapshot.histograms())) {
        for (Instrument.Snapshot<Distribution> i :
            CollectionConverters.asJava(metric.instruments())) {
          // Untagged: the node's own (the gateway's shares of answer -> bridge, one campaign here).
          String tagged = i.tags().get(Lookups.plain("campaign"));
          if (tagged == null || campaign.equals(tagged)) {
            current.histograms.merge(metric.name(), i.value(), Distribution::merge);
            // The dialer's asks by step (dialer.step{step}): counted per call in WorkPerCall.
            String step = i.tags().get(Lookups.plain("step"));
            if (step != null) {
              current.histograms.merge(
                  metric.name() + "{" + step + "}", i.value(), Distribution::merge);
            }
          }
        }
      }
      for (MetricSnapshot<?, Object> metric : CollectionConverters.asJava(snapshot.counters())) {
        for (Instrument.Snapshot<Object> i : CollectionConverters.asJava(metric.instruments())) {
          String tagged = i.tags().get(Lookups.plain("campaign"));
          if (tagged == null || campaign.equals(tagged)) {
            long value = ((Number) i.value()).longValue();
            current.counters.merge(metric.name(), value, Long::sum);
            // Also by reason where a counter has one (dialer.abandons), e.g.
            // "dialer.abandons:deadline".
            String reason = i.tags().get(Lookups.plain("reason"));
            if (reason != null) {
              current.counters.merge(metric.name() + ":" + reason, value, Long::sum);
            }
          }
        }
      }
    }
  }

  @Override
  public void stop() {}

  @Override
  public void reconfigure(Config config) {}
}
