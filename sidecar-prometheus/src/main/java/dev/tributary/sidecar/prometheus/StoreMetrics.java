package dev.tributary.sidecar.prometheus;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The Prometheus sidecar's own self-metrics, next to the common ones of {@code SidecarMetrics}. */
final class StoreMetrics {
  final Counter evicted;
  final Counter refused;
  final Counter ignored;

  StoreMetrics(PrometheusRegistry registry, SeriesStore store, HealthStore health) {
    GaugeWithCallback.builder().name("tributary_prometheus_series")
        .help("Series held (all instances, all metrics)")
        .callback(cb -> cb.call(store.size())).register(registry);
    GaugeWithCallback.builder().name("tributary_prometheus_instances")
        .help("Instances with a heartbeat held")
        .callback(cb -> cb.call(health.size())).register(registry);
    evicted = Counter.builder().name("tributary_prometheus_series_evicted")
        .help("Series removed: stale (no sample for the staleness timeout), down (instance said DOWN), revoked (partition moved)")
        .labelNames("reason").register(registry);
    refused = Counter.builder().name("tributary_prometheus_series_refused")
        .help("New series refused because a cap was reached").labelNames("reason").register(registry);
    ignored = Counter.builder().name("tributary_prometheus_samples_ignored")
        .help("Samples not applied: duplicate (same timestamp), stale (older than the staleness timeout), after_down")
        .labelNames("reason").register(registry);
  }
}
