package dev.tributary.sidecar.prometheus;

import dev.tributary.sidecar.ConsumerControl;
import dev.tributary.sidecar.DeadLetterWriter;
import dev.tributary.sidecar.RecordHandler;
import dev.tributary.sidecar.SidecarMetrics;
import dev.tributary.accounting.SequenceTracker;
import dev.tributary.wire.Envelope;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.EnvelopeException;
import dev.tributary.wire.HealthEnvelope;
import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.SeriesDecoder;
import dev.tributary.wire.SeriesTemplate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@code metrics.events} and {@code health.events} records into the stores; dead-letters
 * what it cannot use; counts sequence gaps; runs expiry; drops and rebuilds state on rebalance.
 * Runs on the consume thread only.
 *
 * <p>On assignment, partitions are rewound to "now minus the staleness timeout": every sample that
 * could still be exposed is read again, so a sidecar that takes over partitions (or restarts) serves
 * complete series at once instead of waiting for the senders' next step. Newest-wins makes the
 * replay harmless.
 *
 * <p>A batch is taken per partition in two passes: first every record is decoded (metric records
 * by a {@link SeriesDecoder}, which reads most of them by comparing bytes with their series'
 * previous record), then the store's series of the whole batch are read at once
 * ({@link SeriesStore#prefetch}), then the samples are applied in order. Rejections and
 * dead-letters keep the records' order.
 */
final class IngestHandler implements RecordHandler {
  private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
  private static final Duration DLQ_ACK_TIMEOUT = Duration.ofSeconds(5);
  private static final long EXPIRY_INTERVAL_MILLIS = 1000;

  private final EnvelopeCodec.Decoder decoder = EnvelopeCodec.create().newDecoder();
  /** Metric records, most of which repeat their series' previous one but for the numbers. */
  private final SeriesDecoder series;
  private final String metricsTopic;
  private final String healthTopic;
  private final SeriesStore store;
  private final HealthStore health;
  private final DeadLetterWriter dlq;
  private final SidecarMetrics metrics;
  private final StoreMetrics storeMetrics;
  private final Clock clock;
  private final long stalenessMillis;
  private final Map<TopicPartition, SequenceTracker> sequences = new HashMap<>();
  private final SequenceTracker.Listener sequenceListener;
  private long lastExpiry;
  private long repeatsCounted;
  // A batch's records decoded (an Envelope or the EnvelopeException), and their series' templates.
  private Object[] decoded = new Object[0];
  private SeriesTemplate[] templates = new SeriesTemplate[0];

  IngestHandler(String metricsTopic, String healthTopic, SeriesStore store, HealthStore health, DeadLetterWriter dlq,
      SidecarMetrics metrics, StoreMetrics storeMetrics, Clock clock, Duration staleness, int templates) {
    this.metricsTopic = metricsTopic;
    this.healthTopic = healthTopic;
    this.store = store;
    this.health = health;
    this.dlq = dlq;
    this.metrics = metrics;
    this.storeMetrics = storeMetrics;
    this.clock = clock;
    this.stalenessMillis = staleness.toMillis();
    this.lastExpiry = clock.millis();
    this.series = new SeriesDecoder(decoder, templates);
    this.sequenceListener = new SequenceTracker.Listener() {
      @Override
      public void gaps(String service, String stream, long missing) {
        metrics.sequenceGaps(service, missing);
      }

      @Override
      public void duplicates(String service, String stream, long count) {
        metrics.sequenceDuplicates(service, count);
      }
    };
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records, ConsumerControl control) {
    boolean deadLettered = false;
    long now = clock.millis();
    for (TopicPartition tp : records.partitions()) {
      boolean metricsPartition = tp.topic().equals(metricsTopic);
      SequenceTracker tracker = sequences.computeIfAbsent(tp,
          t -> SequenceTracker.builder().idleTimeout(Duration.ofMillis(stalenessMillis)).listener(sequenceListener).build());
      List<ConsumerRecord<byte[], byte[]>> batch = records.records(tp);
      int n = batch.size();
      if (decoded.length < n) {
        decoded = new Object[n];
        templates = new SeriesTemplate[n];
      }
      for (int i = 0; i < n; i++) {
        ConsumerRecord<byte[], byte[]> record = batch.get(i);
        try {
          decoded[i] = metricsPartition ? series.decode(record.key(), record.value()) : decoder.decode(record.value());
          templates[i] = metricsPartition ? series.template() : null;
        } catch (EnvelopeException e) {
          decoded[i] = e;
          templates[i] = null;
        }
      }
      store.prefetch(templates, n);
      for (int i = 0; i < n; i++) {
        ConsumerRecord<byte[], byte[]> record = batch.get(i);
        try {
          if (decoded[i] instanceof EnvelopeException e) {
            throw e;
          }
          ingest(record, (Envelope) decoded[i], templates[i], metricsPartition, tracker, now);
        } catch (EnvelopeException e) {
          reject(record, e.reason().code(), e.getMessage());
          deadLettered = true;
        } catch (SampleRejected e) {
          reject(record, e.reason(), e.getMessage());
          deadLettered = true;
        }
      }
      Arrays.fill(decoded, 0, n, null);
      Arrays.fill(templates, 0, n, null);
    }
    storeMetrics.repeated.inc(series.repeats() - repeatsCounted);
    repeatsCounted = series.repeats();
    if (deadLettered) {
      dlq.awaitPending(DLQ_ACK_TIMEOUT);
    }
    if (now - lastExpiry >= EXPIRY_INTERVAL_MILLIS || now < lastExpiry) {
      lastExpiry = now;
      expire(now);
    }
    return RecordHandler.processedThrough(records);
  }

  private void ingest(ConsumerRecord<byte[], byte[]> record, Envelope envelope, SeriesTemplate template,
      boolean metricsRecord, SequenceTracker tracker, long now) throws SampleRejected {
    if (metricsRecord && !(envelope instanceof MetricEnvelope) || !metricsRecord && !(envelope instanceof HealthEnvelope)) {
      throw new SampleRejected(SampleRejected.UNEXPECTED_TYPE, "a " + envelope.type().wireName() + " envelope on " + record.topic());
    }
    tracker.observe(envelope.source().service(), envelope.source().instance(), envelope.source().runId(),
        envelope.stream(), envelope.seq(), now);
    if (envelope instanceof MetricEnvelope m) {
      switch (store.ingest(m, record.partition(), now, template)) {
        case ACCEPTED -> { }
        case DUPLICATE -> storeMetrics.ignoredDuplicate.inc();
        case STALE -> storeMetrics.ignoredStale.inc();
        case AFTER_DOWN -> storeMetrics.ignoredAfterDown.inc();
        case REFUSED_MAX_SERIES -> storeMetrics.refusedMaxSeries.inc();
        case REFUSED_MAX_SERIES_PER_METRIC -> storeMetrics.refusedMaxSeriesPerMetric.inc();
      }
    } else {
      HealthEnvelope h = (HealthEnvelope) envelope;
      if (health.update(h, record.partition())) {
        if (h.status() == HealthEnvelope.Status.DOWN) {
          store.markDown(h.source().instanceKey(), h.timestamp(), record.partition());
        } else {
          store.markUp(h.source().instanceKey(), h.timestamp());
        }
      } else {
        storeMetrics.ignoredDuplicate.inc();
      }
    }
  }

  private void reject(ConsumerRecord<byte[], byte[]> record, String reason, String message) {
    metrics.failed(record.topic(), reason);
    dlq.write(record, reason, message);
  }

  private void expire(long now) {
    long[] removed = store.expire();
    if (removed[0] > 0) {
      storeMetrics.evictedStale.inc(removed[0]);
    }
    if (removed[1] > 0) {
      storeMetrics.evictedDown.inc(removed[1]);
    }
    health.expire();
    sequences.values().forEach(s -> s.evictIdle(now));
  }

  /** Test hook: runs expiry now, on the calling thread (only when no consume loop runs). */
  void expireNow() {
    expire(clock.millis());
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions, ConsumerControl control) {
    control.rewindTo(partitions, clock.millis() - stalenessMillis);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    Set<Integer> metricsPartitions = new HashSet<>();
    Set<Integer> healthPartitions = new HashSet<>();
    for (TopicPartition tp : partitions) {
      sequences.remove(tp);
      if (tp.topic().equals(metricsTopic)) {
        metricsPartitions.add(tp.partition());
      } else if (tp.topic().equals(healthTopic)) {
        healthPartitions.add(tp.partition());
      }
    }
    long dropped = store.dropPartitions(metricsPartitions);
    health.dropPartitions(healthPartitions);
    if (dropped > 0) {
      storeMetrics.evictedRevoked.inc(dropped);
    }
    LOG.info("dropped {} series of revoked partitions {}", dropped, partitions);
  }
}
