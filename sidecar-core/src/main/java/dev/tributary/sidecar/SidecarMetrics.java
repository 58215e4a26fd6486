package dev.tributary.sidecar;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import org.apache.kafka.common.TopicPartition;

/**
 * The self-metrics every sidecar exposes, as client_java instruments in a {@link PrometheusRegistry}
 * (which the sidecar may extend with its own instruments).
 *
 * <table>
 *   <caption>Metric names (counters get {@code _total} from the writer)</caption>
 *   <tr><td>{@code tributary_sidecar_records_consumed_total{topic}}</td><td>records polled</td></tr>
 *   <tr><td>{@code tributary_sidecar_records_failed_total{topic,reason}}</td><td>records not processed, by reason</td></tr>
 *   <tr><td>{@code tributary_sidecar_records_dead_lettered_total{topic,reason}}</td><td>records written to {@code <topic>.dlq}</td></tr>
 *   <tr><td>{@code tributary_sidecar_dead_letter_errors_total{topic}}</td><td>dead-letter writes that failed</td></tr>
 *   <tr><td>{@code tributary_sidecar_batch_errors_total}</td><td>batches whose handler threw (retried)</td></tr>
 *   <tr><td>{@code tributary_sidecar_commit_errors_total}</td><td>offset commits that failed</td></tr>
 *   <tr><td>{@code tributary_sidecar_consumer_lag_records{topic,partition}}</td><td>records behind the partition end</td></tr>
 *   <tr><td>{@code tributary_sidecar_assigned_partitions}</td><td>partitions this member owns</td></tr>
 *   <tr><td>{@code tributary_sidecar_sequence_gaps_total{service}}</td><td>records that never arrived (SDK drops or loss)</td></tr>
 *   <tr><td>{@code tributary_sidecar_sequence_duplicates_total{service}}</td><td>records seen more than once</td></tr>
 *   <tr><td>{@code tributary_sidecar_scrape_duration_seconds}</td><td>time to render {@code /metrics}</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class SidecarMetrics {
  private final PrometheusRegistry registry;
  private final Counter consumed;
  private final Counter failed;
  private final Counter deadLettered;
  private final Counter deadLetterErrors;
  private final Counter batchErrors;
  private final Counter commitErrors;
  private final Gauge lag;
  private final Gauge assigned;
  private final Counter gaps;
  private final Counter duplicates;
  private final Histogram scrapeDuration;

  private SidecarMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    consumed = Counter.builder().name("tributary_sidecar_records_consumed")
        .help("Records polled from Kafka").labelNames("topic").register(registry);
    failed = Counter.builder().name("tributary_sidecar_records_failed")
        .help("Records that could not be processed, by reason").labelNames("topic", "reason").register(registry);
    deadLettered = Counter.builder().name("tributary_sidecar_records_dead_lettered")
        .help("Records written to the dead-letter topic, by reason").labelNames("topic", "reason").register(registry);
    deadLetterErrors = Counter.builder().name("tributary_sidecar_dead_letter_errors")
        .help("Dead-letter writes that failed").labelNames("topic").register(registry);
    batchErrors = Counter.builder().name("tributary_sidecar_batch_errors")
        .help("Batches whose processing threw; they are retried").register(registry);
    commitErrors = Counter.builder().name("tributary_sidecar_commit_errors")
        .help("Offset commits that failed").register(registry);
    lag = Gauge.builder().name("tributary_sidecar_consumer_lag_records")
        .help("Records between the consumer position and the end of the partition").labelNames("topic", "partition")
        .register(registry);
    assigned = Gauge.builder().name("tributary_sidecar_assigned_partitions")
        .help("Partitions assigned to this consumer group member").register(registry);
    gaps = Counter.builder().name("tributary_sidecar_sequence_gaps")
        .help("Records missing from senders' sequences (dropped by the SDK or lost)").labelNames("service").register(registry);
    duplicates = Counter.builder().name("tributary_sidecar_sequence_duplicates")
        .help("Records whose sequence number was seen before (redelivery or replay)").labelNames("service").register(registry);
    scrapeDuration = Histogram.builder().name("tributary_sidecar_scrape_duration_seconds").unit(Unit.SECONDS)
        .help("Time to collect and write a /metrics response").classicOnly()
        .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register(registry);
  }

  /** Self-metrics registered in a new registry. */
  public static SidecarMetrics create() {
    return new SidecarMetrics(new PrometheusRegistry());
  }

  /** Self-metrics registered in {@code registry}. */
  public static SidecarMetrics create(PrometheusRegistry registry) {
    return new SidecarMetrics(registry);
  }

  /** The registry holding these instruments; sidecars register their own there too. */
  public PrometheusRegistry registry() {
    return registry;
  }

  void consumed(String topic, int records) {
    consumed.labelValues(topic).inc(records);
  }

  /** Counts a record that could not be processed. */
  public void failed(String topic, String reason) {
    failed.labelValues(topic, reason).inc();
  }

  void deadLettered(String topic, String reason) {
    deadLettered.labelValues(topic, reason).inc();
  }

  void deadLetterFailed(String topic) {
    deadLetterErrors.labelValues(topic).inc();
  }

  void batchFailed() {
    batchErrors.inc();
  }

  void commitFailed() {
    commitErrors.inc();
  }

  void lag(TopicPartition partition, long records) {
    lag.labelValues(partition.topic(), Integer.toString(partition.partition())).set(records);
  }

  void removeLag(TopicPartition partition) {
    lag.remove(partition.topic(), Integer.toString(partition.partition()));
  }

  void assignedPartitions(int count) {
    assigned.set(count);
  }

  /** Counts records missing from a service's sequences. */
  public void sequenceGaps(String service, long missing) {
    if (missing > 0) {
      gaps.labelValues(service).inc(missing);
    }
  }

  /** Counts records of a service seen more than once. */
  public void sequenceDuplicates(String service, long duplicated) {
    if (duplicated > 0) {
      duplicates.labelValues(service).inc(duplicated);
    }
  }

  void scrapeDuration(double seconds) {
    scrapeDuration.observe(seconds);
  }
}
