package dev.tributary.bench.prometheus;

import dev.tributary.wire.EnvelopeException;
import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.MetricEnvelope.MetricKind;
import dev.tributary.wire.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The series every sidecar-prometheus benchmark uses, so that the sidecar and its baselines see the
 * same data: {@code metrics} metric names, each with {@code instances × routes} label sets
 * ({@code route} as the user label, plus the sidecar's {@code service} and {@code instance}).
 *
 * <p>Metric {@code m} is a counter when {@code m % 10 < 5}, a gauge when {@code < 9}, else a
 * histogram with {@link #BOUNDS} (10 bounds plus {@code +Inf}): 50% counters, 40% gauges, 10%
 * histograms by metric, as a typical JVM service's mix. Values are cumulative and grow with the
 * step; histograms are filled from {@link #observations} so that client_java can observe exactly the
 * same values.
 */
record Workload(int metrics, int instances, int routes, MetricKind only) {
  static final String SERVICE = "bench";
  static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  static final long STEP_MILLIS = 10_000;

  /** A workload of mixed kinds. */
  Workload(int metrics, int instances, int routes) {
    this(metrics, instances, routes, null);
  }

  /** Series of one instance. */
  int seriesPerInstance() {
    return metrics * routes;
  }

  /** All series. */
  long series() {
    return (long) metrics * instances * routes;
  }

  MetricKind kind(int metric) {
    if (only != null) {
      return only;
    }
    int r = metric % 10;
    return r < 5 ? MetricKind.COUNTER : r < 9 ? MetricKind.GAUGE : MetricKind.HISTOGRAM;
  }

  /** The name as sent (counters with {@code _total}, as the SDK sends them). */
  String name(int metric) {
    return switch (kind(metric)) {
      case COUNTER -> "bench_requests_" + metric + "_total";
      case GAUGE -> "bench_queue_depth_" + metric;
      case HISTOGRAM -> "bench_latency_" + metric + "_seconds";
      case SUMMARY -> "bench_summary_" + metric;
    };
  }

  /** The name client_java is given (it strips {@code _total} itself too). */
  String registryName(int metric) {
    return name(metric);
  }

  static String help(int metric) {
    return "Benchmark metric number " + metric;
  }

  static String instance(int instance) {
    return "pod-" + instance;
  }

  static String route(int route) {
    return "/api/v1/resource-" + route;
  }

  static String runId(int instance) {
    return "run-" + instance;
  }

  /** A per-series number the values derive from. */
  private long seriesNumber(int instance, int metric, int route) {
    return ((long) instance * metrics + metric) * routes + route;
  }

  double counterValue(int instance, int metric, int route, int step) {
    return seriesNumber(instance, metric, route) % 997 + 13.0 * step;
  }

  double gaugeValue(int instance, int metric, int route, int step) {
    return (seriesNumber(instance, metric, route) * 31 + step) % 1000 / 4.0;
  }

  /** The observed latencies of a histogram series up to a step: 5 to 36 per step. */
  double[] observations(int instance, int metric, int route, int step) {
    long n = seriesNumber(instance, metric, route);
    int perStep = 5 + (int) (n % 32);
    double[] values = new double[perStep * (step + 1)];
    long x = n * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < values.length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      values[i] = ((x >>> 11) % 6000) / 1000.0; // 0 to 6 s, so every bucket and +Inf gets some
    }
    return values;
  }

  /**
   * The envelope of one series at one step, as the SDK would publish it.
   *
   * @param seq the sequence number of the instance's metrics stream
   */
  MetricEnvelope envelope(int instance, int metric, int route, int step, long baseTimestamp, long seq) {
    long ts = baseTimestamp + step * STEP_MILLIS;
    Source source = new Source(SERVICE, instance(instance), "1.0.0", "bench", runId(instance));
    Map<String, String> labels = Map.of("route", route(route));
    long start = baseTimestamp - 3_600_000;
    MetricKind kind = kind(metric);
    return switch (kind) {
      case COUNTER -> new MetricEnvelope(ts, source, "metrics", seq, name(metric), kind, help(metric), null, start,
          labels, counterValue(instance, metric, route, step), null, null);
      case GAUGE -> new MetricEnvelope(ts, source, "metrics", seq, name(metric), kind, help(metric), null, start,
          labels, gaugeValue(instance, metric, route, step), null, null);
      case HISTOGRAM -> new MetricEnvelope(ts, source, "metrics", seq, name(metric), kind, help(metric), "seconds",
          start, labels, Double.NaN, histogram(observations(instance, metric, route, step)), null);
      case SUMMARY -> throw new IllegalStateException("summaries are not part of the workload");
    };
  }

  /** What is done with each envelope of a step; its instance is the envelope's sender. */
  interface Sample {
    void accept(int instance, MetricEnvelope e) throws EnvelopeException;
  }

  /**
   * One sample of every series at {@code step}, in the SDK's order (instance by instance, each
   * instance's series in the same order every step), numbered per instance.
   */
  void forEachSample(int step, long baseTimestamp, Sample sample) {
    for (int i = 0; i < instances(); i++) {
      long seq = (long) step * seriesPerInstance();
      for (int m = 0; m < metrics(); m++) {
        for (int r = 0; r < routes(); r++) {
          try {
            sample.accept(i, envelope(i, m, r, step, baseTimestamp, ++seq));
          } catch (EnvelopeException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
  }

  static MetricEnvelope.Histogram histogram(double[] observations) {
    long[] cumulative = new long[BOUNDS.length];
    double sum = 0;
    for (double v : observations) {
      sum += v;
      for (int b = 0; b < BOUNDS.length; b++) {
        if (v <= BOUNDS[b]) {
          cumulative[b]++;
        }
      }
    }
    List<MetricEnvelope.Bucket> buckets = new ArrayList<>(BOUNDS.length);
    for (int b = 0; b < BOUNDS.length; b++) {
      buckets.add(new MetricEnvelope.Bucket(BOUNDS[b], cumulative[b]));
    }
    return new MetricEnvelope.Histogram(buckets, observations.length, sum);
  }
}
