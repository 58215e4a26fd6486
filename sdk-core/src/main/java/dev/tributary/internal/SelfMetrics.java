package dev.tributary.internal;

import dev.tributary.MetricSample;
import dev.tributary.StreamKind;
import dev.tributary.TributaryStats;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client's own counters, published with every metrics step so that drops and failures show up
 * in Prometheus next to the application's metrics:
 * {@code tributary_client_records_total{stream,outcome}} with outcome accepted, sent, dropped,
 * rejected, failed; {@code tributary_client_queue_size{stream}};
 * {@code tributary_client_truncated_total{stream}}; {@code tributary_client_series} and
 * {@code tributary_client_series_refused_total}.
 */
final class SelfMetrics {
  static final String RECORDS = "tributary_client_records_total";
  static final String QUEUE = "tributary_client_queue_size";
  static final String TRUNCATED = "tributary_client_truncated_total";
  static final String SERIES = "tributary_client_series";
  static final String SERIES_REFUSED = "tributary_client_series_refused_total";

  private SelfMetrics() {}

  static void collect(DefaultTributary client, long start, Consumer<MetricSample> out) {
    TributaryStats stats = client.stats();
    for (StreamKind kind : StreamKind.values()) {
      TributaryStats.StreamStats s = stats.stream(kind);
      String stream = kind.label();
      records(out, start, stream, "accepted", s.accepted());
      records(out, start, stream, "sent", s.sent());
      records(out, start, stream, "dropped", s.dropped());
      records(out, start, stream, "rejected", s.rejected());
      records(out, start, stream, "failed", s.failed());
      out.accept(MetricSample.gauge(QUEUE, "Records waiting in the client's buffer", null, start,
          Map.of("stream", stream), s.queued()));
      out.accept(MetricSample.counter(TRUNCATED, "Log records whose message or stack trace was truncated", null, start,
          Map.of("stream", stream), s.truncated()));
    }
    out.accept(MetricSample.gauge(SERIES, "Metric series held by the client's instruments", null, start, Map.of(),
        stats.seriesActive()));
    out.accept(MetricSample.counter(SERIES_REFUSED, "Metric series refused by the series limits", null, start, Map.of(),
        stats.seriesRefused()));
  }

  private static void records(Consumer<MetricSample> out, long start, String stream, String outcome, long value) {
    out.accept(MetricSample.counter(RECORDS, "Records by stream and outcome", null, start,
        Map.of("stream", stream, "outcome", outcome), value));
  }
}
