package dev.tributary.sidecar.prometheus;

import dev.tributary.wire.HealthEnvelope;
import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.MetricEnvelope.MetricKind;
import dev.tributary.wire.Source;
import java.util.List;
import java.util.Map;

/** Test envelopes. */
final class Envelopes {
  static final long T0 = 1_800_000_000_000L;

  private static final java.util.concurrent.atomic.AtomicLong SEQ = new java.util.concurrent.atomic.AtomicLong();

  private Envelopes() {}

  static Source source(String instance) {
    return new Source("shop", instance, null, null, "run-" + instance);
  }

  static MetricEnvelope counter(String instance, String name, long ts, double value, Map<String, String> labels) {
    return new MetricEnvelope(ts, source(instance), "metrics", SEQ.incrementAndGet(), name, MetricKind.COUNTER, "Orders taken",
        null, ts - 60_000, labels, value, null, null);
  }

  static MetricEnvelope gauge(String instance, String name, long ts, double value) {
    return new MetricEnvelope(ts, source(instance), "metrics", SEQ.incrementAndGet(), name, MetricKind.GAUGE, null, "bytes", ts - 60_000,
        Map.of(), value, null, null);
  }

  static MetricEnvelope histogram(String instance, long ts) {
    return new MetricEnvelope(ts, source(instance), "metrics", SEQ.incrementAndGet(), "latency_seconds", MetricKind.HISTOGRAM,
        "Latency", "seconds", ts - 60_000, Map.of("route", "/pay"), Double.NaN,
        new MetricEnvelope.Histogram(List.of(new MetricEnvelope.Bucket(0.1, 2), new MetricEnvelope.Bucket(1, 5)), 6, 3.5),
        null);
  }

  static MetricEnvelope summary(String instance, long ts) {
    return new MetricEnvelope(ts, source(instance), "metrics", SEQ.incrementAndGet(), "payload_bytes", MetricKind.SUMMARY,
        null, null, ts - 60_000, Map.of(), Double.NaN, null,
        new MetricEnvelope.Summary(List.of(new MetricEnvelope.Quantile(0.5, 100), new MetricEnvelope.Quantile(0.99, 900)),
            10, 2000));
  }

  static HealthEnvelope heartbeat(String instance, long ts, HealthEnvelope.Status status, long interval) {
    return new HealthEnvelope(ts, source(instance), "health", SEQ.incrementAndGet(), status, ts - 60_000, 60_000, interval,
        Map.of("db", new HealthEnvelope.Check(status, null)));
  }
}
