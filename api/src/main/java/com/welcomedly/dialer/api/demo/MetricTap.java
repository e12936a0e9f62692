package com.welcomedly.dialer.api.demo;

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
          }
        }
      }
      for (MetricSnapshot<?, Object> metric : CollectionConverters.asJava(snapshot.counters())) {
        for (Instrument.Snapshot<Object> i : CollectionConverters.asJava(metric.instruments())) {
          String tagged = i.tags().get(Lookups.plain("campaign"));
          if (tagged == null || campaign.equals(tagged)) {
            current.counters.merge(metric.name(), ((Number) i.value()).longValue(), Long::sum);
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
