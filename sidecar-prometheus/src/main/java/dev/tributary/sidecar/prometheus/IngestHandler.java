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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.HashMap;
import java.util.HashSet;
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
 * Called on the consume thread only.
 *
 * <p>A batch is decoded and stored by {@code ingest.threads} lanes, a partition's records by one
 * lane: the consume thread is lane 0, the others run on the given executor, and {@link #handle}
 * returns when all are done, so the offsets it returns are all in the store, as with one thread.
 * Partitions go to the least loaded lane, largest first. Only the consume thread touches the
 * sequence trackers map and the dead-letter writer: a lane gets its partitions' trackers handed in
 * and collects what it refused, written to the DLQ after the lanes are done. A series belongs to one
 * instance, an instance to one partition, so no two lanes write the same series
 * ({@link SeriesStore} relies on it).
 *
 * <p>On assignment, partitions are rewound to "now minus the staleness timeout": every sample that
 * could still be exposed is read again, so a sidecar that takes over partitions (or restarts) serves
 * complete series at once instead of waiting for the senders' next step. Newest-wins makes the
 * replay harmless.
 */
final class IngestHandler implements RecordHandler {
  private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
  private static final Duration DLQ_ACK_TIMEOUT = Duration.ofSeconds(5);
  private static final long EXPIRY_INTERVAL_MILLIS = 1000;

  private final Lane[] lanes;
  private final ExecutorService executor; // runs lanes 1..n-1; null with one lane
  private final List<Future<?>> running = new ArrayList<>();
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

  IngestHandler(String metricsTopic, String healthTopic, SeriesStore store, HealthStore health, DeadLetterWriter dlq,
      SidecarMetrics metrics, StoreMetrics storeMetrics, Clock clock, Duration staleness) {
    this(metricsTopic, healthTopic, store, health, dlq, metrics, storeMetrics, clock, staleness, 1, null);
  }

  /**
   * @param lanes threads decoding and storing a batch, the calling (consume) thread included
   * @param executor runs lanes 1 and up ({@code lanes - 1} threads); not shut down here
   */
  IngestHandler(String metricsTopic, String healthTopic, SeriesStore store, HealthStore health, DeadLetterWriter dlq,
      SidecarMetrics metrics, StoreMetrics storeMetrics, Clock clock, Duration staleness, int lanes,
      ExecutorService executor) {
    if (lanes < 1 || (lanes > 1) != (executor != null)) {
      throw new IllegalArgumentException("lanes must be positive, with an executor when more than one");
    }
    this.lanes = new Lane[lanes];
    for (int i = 0; i < lanes; i++) {
      this.lanes[i] = new Lane();
    }
    this.executor = executor;
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

  /** A record a lane refused: dead-lettered by the consume thread. */
  private record Refused(ConsumerRecord<byte[], byte[]> record, String reason, String message) {}

  /** One thread's share of a batch: its partitions (with their trackers), its own decoder. */
  private final class Lane implements Callable<Void> {
    final EnvelopeCodec.Decoder decoder = EnvelopeCodec.create().newDecoder();
    final List<List<ConsumerRecord<byte[], byte[]>>> partitions = new ArrayList<>();
    final List<SequenceTracker> trackers = new ArrayList<>();
    final List<Refused> refused = new ArrayList<>();
    long records;
    long now;

    @Override
    public Void call() {
      for (int i = 0; i < partitions.size(); i++) {
        List<ConsumerRecord<byte[], byte[]>> list = partitions.get(i);
        boolean metricsPartition = list.get(0).topic().equals(metricsTopic);
        SequenceTracker tracker = trackers.get(i);
        for (ConsumerRecord<byte[], byte[]> record : list) {
          try {
            ingest(decoder, record, metricsPartition, tracker, now);
          } catch (EnvelopeException e) {
            refused.add(new Refused(record, e.reason().code(), e.getMessage()));
          } catch (SampleRejected e) {
            refused.add(new Refused(record, e.reason(), e.getMessage()));
          }
        }
      }
      return null;
    }

    void clear() {
      partitions.clear();
      trackers.clear();
      records = 0;
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records, ConsumerControl control)
      throws Exception {
    long now = clock.millis();
    for (Lane lane : lanes) {
      lane.refused.clear(); // left over from a batch that failed: it is processed again
    }
    int used = Math.min(lanes.length, records.partitions().size());
    if (used > 0) {
      deal(records, used, now);
      try {
        for (int i = 1; i < used; i++) {
          running.add(executor.submit(lanes[i]));
        }
        lanes[0].call();
      } finally {
        awaitLanes(); // also when lane 0 threw: a retried batch must not overlap this one
        for (int i = 0; i < used; i++) {
          lanes[i].clear();
        }
      }
    }
    boolean deadLettered = false;
    for (Lane lane : lanes) {
      for (Refused r : lane.refused) {
        reject(r.record(), r.reason(), r.message());
        deadLettered = true;
      }
      lane.refused.clear();
    }
    if (deadLettered) {
      dlq.awaitPending(DLQ_ACK_TIMEOUT);
    }
    if (now - lastExpiry >= EXPIRY_INTERVAL_MILLIS || now < lastExpiry) {
      lastExpiry = now;
      expire(now);
    }
    return RecordHandler.processedThrough(records);
  }

  /** Each partition of the batch to the lane with the fewest records so far, largest partition first. */
  private void deal(ConsumerRecords<byte[], byte[]> records, int used, long now) {
    List<TopicPartition> order = new ArrayList<>(records.partitions());
    if (used > 1) {
      order.sort(Comparator.comparingInt((TopicPartition tp) -> records.records(tp).size()).reversed());
    }
    for (TopicPartition tp : order) {
      Lane lane = lanes[0];
      for (int i = 1; i < used; i++) {
        if (lanes[i].records < lane.records) {
          lane = lanes[i];
        }
      }
      List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
      lane.partitions.add(list);
      lane.trackers.add(sequences.computeIfAbsent(tp,
          t -> SequenceTracker.builder().idleTimeout(Duration.ofMillis(stalenessMillis)).listener(sequenceListener).build()));
      lane.records += list.size();
      lane.now = now;
    }
  }

  private void awaitLanes() throws Exception {
    Throwable failure = null;
    boolean interrupted = false;
    for (Future<?> f : running) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the lane finishes its partitions either way; wait for it
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
          break;
        }
      }
    }
    running.clear();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof Exception e) {
      throw e;
    } else if (failure instanceof Error e) {
      throw e;
    }
  }

  private void ingest(EnvelopeCodec.Decoder decoder, ConsumerRecord<byte[], byte[]> record, boolean metricsRecord,
      SequenceTracker tracker, long now) throws EnvelopeException, SampleRejected {
    Envelope envelope = decoder.decode(record.value());
    if (metricsRecord && !(envelope instanceof MetricEnvelope) || !metricsRecord && !(envelope instanceof HealthEnvelope)) {
      throw new SampleRejected(SampleRejected.UNEXPECTED_TYPE, "a " + envelope.type().wireName() + " envelope on " + record.topic());
    }
    tracker.observe(envelope.source().service(), envelope.source().instance(), envelope.source().runId(),
        envelope.stream(), envelope.seq(), now);
    if (envelope instanceof MetricEnvelope m) {
      switch (store.ingest(m, record.partition(), now)) {
        case ACCEPTED -> { }
        case DUPLICATE -> storeMetrics.ignored.labelValues("duplicate").inc();
        case STALE -> storeMetrics.ignored.labelValues("stale").inc();
        case AFTER_DOWN -> storeMetrics.ignored.labelValues("after_down").inc();
        case REFUSED_MAX_SERIES -> storeMetrics.refused.labelValues("max_series").inc();
        case REFUSED_MAX_SERIES_PER_METRIC -> storeMetrics.refused.labelValues("max_series_per_metric").inc();
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
        storeMetrics.ignored.labelValues("duplicate").inc();
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
      storeMetrics.evicted.labelValues("stale").inc(removed[0]);
    }
    if (removed[1] > 0) {
      storeMetrics.evicted.labelValues("down").inc(removed[1]);
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
      storeMetrics.evicted.labelValues("revoked").inc(dropped);
    }
    LOG.info("dropped {} series of revoked partitions {}", dropped, partitions);
  }
}
