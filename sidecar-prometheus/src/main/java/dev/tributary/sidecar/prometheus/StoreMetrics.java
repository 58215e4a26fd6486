package dev.tributary.sidecar.prometheus;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The Prometheus sidecar's own self-metrics, next to the common ones of {@code SidecarMetrics}.
 * Every reason is bound once, so each series is exposed at 0 from the start (an alert on
 * {@code increase(..)} then sees the first one) and counting takes no label lookup.
 */
final class StoreMetrics {
  final CounterDataPoint evictedStale;
  final CounterDataPoint evictedDown;
  final CounterDataPoint evictedRevoked;
  final CounterDataPoint refusedMaxSeries;
  final CounterDataPoint refusedMaxSeriesPerMetric;
  final CounterDataPoint ignoredDuplicate;
  final CounterDataPoint ignoredStale;
  final CounterDataPoint ignoredAfterDown;
  final CounterDataPoint repeated;

  StoreMetrics(PrometheusRegistry registry, SeriesStore store, HealthStore health) {
    GaugeWithCallback.builder().name("tributary_prometheus_series")
        .help("Series held (all instances, all metrics)")
        .callback(cb -> cb.call(store.size())).register(registry);
    GaugeWithCallback.builder().name("tributary_prometheus_instances")
        .help("Instances with a heartbeat held")
        .callback(cb -> cb.call(health.size())).register(registry);
    Counter evicted = Counter.builder().name("tributary_prometheus_series_evicted")
        .help("Series removed: stale (no sample for the staleness timeout), down (instance said DOWN), revoked (partition moved)")
        .labelNames("reason").register(registry);
    Counter refused = Counter.builder().name("tributary_prometheus_series_refused")
        .help("New series refused because a cap was reached").labelNames("reason").register(registry);
    Counter ignored = Counter.builder().name("tributary_prometheus_samples_ignored")
        .help("Samples not applied: duplicate (same timestamp), stale (older than the staleness timeout), after_down")
        .labelNames("reason").register(registry);
    repeated = Counter.builder().name("tributary_prometheus_records_repeated")
        .help("Metric records read by comparing bytes with their series' previous record (decode.templates)")
        .register(registry);
    evictedStale = evicted.labelValues("stale");
    evictedDown = evicted.labelValues("down");
    evictedRevoked = evicted.labelValues("revoked");
    refusedMaxSeries = refused.labelValues("max_series");
    refusedMaxSeriesPerMetric = refused.labelValues("max_series_per_metric");
    ignoredDuplicate = ignored.labelValues("duplicate");
    ignoredStale = ignored.labelValues("stale");
    ignoredAfterDown = ignored.labelValues("after_down");
  }
}
