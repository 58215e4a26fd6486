package dev.tributary.sidecar.elasticsearch;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The Elasticsearch sidecar's own instruments, next to the common {@code tributary_sidecar_*} ones
 * (consumed, dead-lettered by reason, lag, ...) in the same registry; counters whose label values
 * are a fixed set are exposed at 0 from the start. Thread-safe.
 */
final class ElasticsearchMetrics {
  private final Counter indexed;
  private final Counter bulkRequests;
  private final Histogram bulkDuration;
  private final Counter retries;
  private final Gauge paused;
  private final Gauge bufferedDocuments;
  private final Gauge bufferedBytes;
  private final Gauge up;
  private final Counter templateInstalls;

  ElasticsearchMetrics(PrometheusRegistry registry) {
    indexed = Counter.builder().name("tributary_elasticsearch_documents_indexed")
        .help("Documents acknowledged by Elasticsearch, by kind (logs, events)").labelNames("kind").register(registry);
    bulkRequests = Counter.builder().name("tributary_elasticsearch_bulk_requests")
        .help("Bulk requests by outcome: ok (all items indexed), partial (some retried or dead-lettered), failed (no bulk answer)")
        .labelNames("outcome").register(registry);
    bulkDuration = Histogram.builder().name("tributary_elasticsearch_bulk_duration_seconds").unit(Unit.SECONDS)
        .help("Time of one bulk request, sending to answer").classicOnly()
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register(registry);
    retries = Counter.builder().name("tributary_elasticsearch_retries")
        .help("Documents scheduled for another attempt, by HTTP status (0 = no answer)").labelNames("status")
        .register(registry);
    paused = Gauge.builder().name("tributary_elasticsearch_paused_partitions")
        .help("Partitions paused for back-pressure (Elasticsearch unavailable or the buffer full)").register(registry);
    bufferedDocuments = Gauge.builder().name("tributary_elasticsearch_buffered_documents")
        .help("Documents held in memory: waiting for a bulk, being retried, or awaiting a dead-letter ack").register(registry);
    bufferedBytes = Gauge.builder().name("tributary_elasticsearch_buffered_bytes").unit(Unit.BYTES)
        .help("Bytes of the buffered documents").register(registry);
    up = Gauge.builder().name("tributary_elasticsearch_up")
        .help("1 if the last request to Elasticsearch got an answer, else 0").register(registry);
    templateInstalls = Counter.builder().name("tributary_elasticsearch_template_installs")
        .help("Template installation attempts by outcome (ok, failed)").labelNames("outcome").register(registry);
    up.set(1);
    // The fixed label values exist at 0 from the start, so an alert on increase(..) sees the first one.
    for (String kind : new String[] {"logs", "events"}) {
      indexed.initLabelValues(kind);
    }
    for (String outcome : new String[] {"ok", "partial", "failed"}) {
      bulkRequests.initLabelValues(outcome);
    }
    for (String outcome : new String[] {"ok", "failed"}) {
      templateInstalls.initLabelValues(outcome);
    }
  }

  void indexed(String kind, int count) {
    indexed.labelValues(kind).inc(count);
  }

  /** Documents acknowledged so far, all kinds (for the benchmark harness, which polls it in-process). */
  long indexedTotal() {
    long n = 0;
    for (var point : indexed.collect().getDataPoints()) {
      n += (long) point.getValue();
    }
    return n;
  }

  void bulk(String outcome, double seconds) {
    bulkRequests.labelValues(outcome).inc();
    bulkDuration.observe(seconds);
  }

  void retry(int status) {
    retries.labelValues(Integer.toString(status)).inc();
  }

  void retries(int status, int count) {
    retries.labelValues(Integer.toString(status)).inc(count);
  }

  void paused(int partitions) {
    paused.set(partitions);
  }

  void buffered(int documents, long bytes) {
    bufferedDocuments.set(documents);
    bufferedBytes.set(bytes);
  }

  void up(boolean isUp) {
    up.set(isUp ? 1 : 0);
  }

  void templates(boolean ok) {
    templateInstalls.labelValues(ok ? "ok" : "failed").inc();
  }
}
