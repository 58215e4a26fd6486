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
 * {@code tributary_client_series_refused_total}; with a spool (events, or logs' spill),
 * {@code tributary_client_spool_*{stream}}.
 */
final class SelfMetrics {
  static final String RECORDS = "tributary_client_records_total";
  static final String QUEUE = "tributary_client_queue_size";
  static final String TRUNCATED = "tributary_client_truncated_total";
  static final String SERIES = "tributary_client_series";
  static final String SERIES_REFUSED = "tributary_client_series_refused_total";
  static final String LIMITED = "tributary_client_rate_limited_total";
  static final String CIRCUIT = "tributary_client_circuit_state";
  static final String CIRCUIT_OPENED = "tributary_client_circuit_opened_total";
  static final String SPOOL_RECORDS = "tributary_client_spool_records_total";
  static final String SPOOL_PENDING = "tributary_client_spool_pending";
  static final String SPOOL_BYTES = "tributary_client_spool_bytes";
  static final String SPOOL_TORN = "tributary_client_spool_torn_records_total";
  static final String SPOOL_ERRORS = "tributary_client_spool_errors_total";
  static final String SPOOL_RECOVERIES = "tributary_client_spool_recoveries_total";

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
    for (StreamKind kind : new StreamKind[] {StreamKind.LOGS, StreamKind.EVENTS}) {
      out.accept(MetricSample.counter(LIMITED, "Records refused by the stream's rate limit", null, start,
          Map.of("stream", kind.label()), stats.limited(kind)));
    }
    for (String producer : TributaryStats.PRODUCERS) {
      TributaryStats.CircuitStats c = stats.circuit(producer);
      out.accept(MetricSample.gauge(CIRCUIT, "Circuit breaker state: 0 closed, 1 open, 2 half-open", null, start,
          Map.of("producer", producer), c.state().code()));
      out.accept(MetricSample.counter(CIRCUIT_OPENED, "Times the circuit breaker opened", null, start,
          Map.of("producer", producer), c.opened()));
    }
    for (StreamKind kind : new StreamKind[] {StreamKind.EVENTS, StreamKind.LOGS}) {
      TributaryStats.SpoolStats spool = stats.spool(kind);
      if (!spool.enabled() && spool.errors() == 0) {
        continue;
      }
      Map<String, String> stream = Map.of("stream", kind.label());
      spoolRecords(out, start, kind, "spooled", spool.spooled());
      spoolRecords(out, start, kind, "recovered", spool.recovered());
      spoolRecords(out, start, kind, "replayed", spool.replayed());
      spoolRecords(out, start, kind, "dropped", spool.dropped());
      out.accept(MetricSample.gauge(SPOOL_PENDING, "Records in the spool not yet acknowledged by Kafka", null, start,
          stream, spool.pending()));
      out.accept(MetricSample.gauge(SPOOL_BYTES, "Bytes in the spool's files", null, start, stream, spool.bytes()));
      out.accept(MetricSample.counter(SPOOL_TORN, "Torn or corrupt spool record tails truncated, never replayed", null,
          start, stream, spool.tornRecords()));
      out.accept(MetricSample.counter(SPOOL_ERRORS, "Times the spool directory could not be used", null, start,
          stream, spool.errors()));
      out.accept(MetricSample.counter(SPOOL_RECOVERIES, "Times the spool was used again in the same run after a failure",
          null, start, stream, spool.recoveries()));
    }
    out.accept(MetricSample.gauge(SERIES, "Metric series held by the client's instruments", null, start, Map.of(),
        stats.seriesActive()));
    out.accept(MetricSample.counter(SERIES_REFUSED, "Metric series refused by the series limits", null, start, Map.of(),
        stats.seriesRefused()));
  }

  private static void spoolRecords(Consumer<MetricSample> out, long start, StreamKind kind, String outcome, long value) {
    out.accept(MetricSample.counter(SPOOL_RECORDS, "Spool records by stream and outcome", null, start,
        Map.of("stream", kind.label(), "outcome", outcome), value));
  }

  private static void records(Consumer<MetricSample> out, long start, String stream, String outcome, long value) {
    out.accept(MetricSample.counter(RECORDS, "Records by stream and outcome", null, start,
        Map.of("stream", stream, "outcome", outcome), value));
  }
}
