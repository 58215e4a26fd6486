package dev.tributary.bench.prometheus;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The baseline: the same series as a {@link Workload}, held by Prometheus client_java's own
 * metrics ({@code prometheus-metrics-core}) in a {@link PrometheusRegistry}, as an application
 * instrumented with client_java would hold them. Labels {@code route}, {@code service} and
 * {@code instance}, like the sidecar's series; exemplars off (the sidecar has none); histograms
 * classic-only with the workload's bounds, filled with the very same observations.
 */
final class ClientJavaSeries {
  private static final String[] LABEL_NAMES = {"route", "service", "instance"};

  private ClientJavaSeries() {}

  /**
   * A registry holding the workload's series at {@code step}.
   *
   * <p>Label values are created once per distinct value, as an application passes its constants.
   */
  static PrometheusRegistry registry(Workload w, int step) {
    PrometheusRegistry registry = new PrometheusRegistry();
    String[] instances = new String[w.instances()];
    for (int i = 0; i < instances.length; i++) {
      instances[i] = Workload.instance(i);
    }
    String[] routes = new String[w.routes()];
    for (int r = 0; r < routes.length; r++) {
      routes[r] = Workload.route(r);
    }
    for (int m = 0; m < w.metrics(); m++) {
      switch (w.kind(m)) {
        case COUNTER -> {
          Counter c = Counter.builder().name(w.registryName(m)).help(Workload.help(m)).labelNames(LABEL_NAMES)
              .withoutExemplars().register(registry);
          for (int i = 0; i < w.instances(); i++) {
            for (int r = 0; r < w.routes(); r++) {
              c.labelValues(routes[r], Workload.SERVICE, instances[i]).inc(w.counterValue(i, m, r, step));
            }
          }
        }
        case GAUGE -> {
          Gauge g = Gauge.builder().name(w.registryName(m)).help(Workload.help(m)).labelNames(LABEL_NAMES)
              .withoutExemplars().register(registry);
          for (int i = 0; i < w.instances(); i++) {
            for (int r = 0; r < w.routes(); r++) {
              g.labelValues(routes[r], Workload.SERVICE, instances[i]).set(w.gaugeValue(i, m, r, step));
            }
          }
        }
        case HISTOGRAM -> {
          Histogram h = Histogram.builder().name(w.registryName(m)).help(Workload.help(m)).unit(Unit.SECONDS)
              .labelNames(LABEL_NAMES).classicOnly().classicUpperBounds(Workload.BOUNDS).withoutExemplars()
              .register(registry);
          for (int i = 0; i < w.instances(); i++) {
            for (int r = 0; r < w.routes(); r++) {
              var point = h.labelValues(routes[r], Workload.SERVICE, instances[i]);
              for (double v : w.observations(i, m, r, step)) {
                point.observe(v);
              }
            }
          }
        }
        case SUMMARY -> throw new IllegalStateException("summaries are not part of the workload");
      }
    }
    return registry;
  }
}
