package dev.tributary.sidecar;

import dev.tributary.internal.KafkaAccessFailure;
import dev.tributary.sidecar.internal.CatchUp;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code KafkaConsumer<byte[], byte[]>} on one dedicated thread and hands every polled
 * batch to a {@link RecordHandler}.
 *
 * <ul>
 *   <li><b>Commits</b> are manual ({@code enable.auto.commit=false}): only the offsets the handler
 *       returns, asynchronously at most once per commit interval (default 1 s; a commit per poll costs
 *       a request per poll), synchronously before partitions are revoked and at shutdown. A crash
 *       replays at most the last interval's records, which the sidecars' outputs tolerate
 *       (newest-wins series, deterministic document ids).</li>
 *   <li><b>The thread survives anything</b>: a handler that throws is counted
 *       ({@code tributary_sidecar_batch_errors_total}), logged, and the batch is retried after a
 *       back-off from the same offsets; a failing poll is counted and retried too.</li>
 *   <li><b>No batch blocks the loop for ever, none is lost</b>: after {@code maxBatchAttempts}
 *       (default {@value #DEFAULT_MAX_BATCH_ATTEMPTS}) failed attempts at a batch starting at the
 *       same offsets, its records go to {@code <topic>.dlq} with reason {@value #HANDLER_FAILED}
 *       and the last exception, are counted in {@code tributary_sidecar_records_failed_total} and
 *       {@code ..._dead_lettered_total}, and the loop goes on after them. Only once the dead-letter
 *       writes are acknowledged: while they fail, the batch is retried (and dead-lettered again),
 *       never skipped.</li>
 *   <li><b>Back-pressure</b>: the handler pauses and resumes partitions through
 *       {@link ConsumerControl}; the loop keeps polling so group membership stays alive.</li>
 *   <li><b>Liveness</b> ({@link #isAlive()}) is "the thread runs"; <b>readiness</b>
 *       ({@link #isReady()}) is "caught up to the end offsets seen at start": of every partition
 *       assigned until then; it stays through orderly rebalances and is lost with lost partitions
 *       (see {@link CatchUp}).</li>
 *   <li><b>Shutdown</b> ({@link #close()}) wakes the consumer up, lets the current batch finish,
 *       commits, leaves the group, all within the shutdown timeout.</li>
 * </ul>
 */
public final class ConsumeLoop implements AutoCloseable {
  /** How long one poll waits for records: 200 ms (short, so empty polls still reach the handler). */
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(200);
  /** Default bound on {@link #close()}: 10 s. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  /** Default number of failed attempts at one batch before its records are dead-lettered: {@value}. */
  public static final int DEFAULT_MAX_BATCH_ATTEMPTS = 5;
  /** The dead-letter reason of records whose batch the handler failed on every attempt: {@value}. */
  public static final String HANDLER_FAILED = "handler_failed";
  /** How long a give-up waits for its dead-letter writes to be acknowledged. */
  static final Duration DEAD_LETTER_ACK_TIMEOUT = Duration.ofSeconds(10);
  /** Default longest time between asynchronous offset commits: 1 s. */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
  /** First back-off after a failed batch or poll; doubles up to {@link #MAX_BACKOFF}. */
  static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  /** Longest back-off: well under {@code max.poll.interval.ms}. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(ConsumeLoop.class);

  private final Map<String, Object> consumerProperties;
  private final List<String> topics;
  private final Pattern topicPattern;
  private final RecordHandler handler;
  private final SidecarMetrics metrics;
  private final Duration pollTimeout;
  private final Duration shutdownTimeout;
  private final long commitIntervalNanos;
  private final int maxBatchAttempts;
  private final String bootstrapServers;
  private final Map<String, Object> kafkaProperties;
  private DeadLetterWriter deadLetters; // given, or created at the first give-up; consume thread only
  private final boolean ownsDeadLetters;
  /** Per partition, the first offset of the last failed batch and how often a batch from there failed. */
  private final Map<TopicPartition, long[]> failures = new HashMap<>();
  private final String threadName;
  private final CatchUp catchUp = new CatchUp();
  /** Wrong credentials or an untrusted broker certificate: one ERROR, not a warning per retry. */
  private final KafkaAccessFailure accessFailure = new KafkaAccessFailure(LOG, "Kafka consumer",
      "nothing is consumed and polling is retried with back-off up to " + MAX_BACKOFF.toSeconds() + " s");
  private final CountDownLatch stopping = new CountDownLatch(1);

  /** Offsets last returned by the handler and not yet committed synchronously; consume thread only. */
  private final Map<TopicPartition, OffsetAndMetadata> latest = new HashMap<>();
  /** Offsets returned since the last asynchronous commit; consume thread only. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private long lastCommitNanos = System.nanoTime();
  private KafkaConsumer<byte[], byte[]> consumer; // consume thread only after start()
  private volatile Thread thread;
  private volatile boolean closed;

  private ConsumeLoop(Builder b) {
    this.consumerProperties = b.consumerProperties();
    this.topics = b.topics;
    this.topicPattern = b.topicPattern;
    this.handler = b.handler;
    this.metrics = b.metrics;
    this.pollTimeout = b.pollTimeout;
    this.shutdownTimeout = b.shutdownTimeout;
    this.commitIntervalNanos = b.commitInterval.toNanos();
    this.maxBatchAttempts = b.maxBatchAttempts;
    this.bootstrapServers = b.bootstrapServers;
    this.kafkaProperties = b.kafkaProperties;
    this.deadLetters = b.deadLetters;
    this.ownsDeadLetters = b.deadLetters == null;
    this.threadName = b.threadName;
  }

  /** A builder; bootstrap servers, group id, topics and handler are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the consumer, subscribes and starts the consume thread.
   *
   * @return this loop
   * @throws IllegalStateException if started twice or closed
   */
  public synchronized ConsumeLoop start() {
    if (thread != null || closed) {
      throw new IllegalStateException("a ConsumeLoop starts once");
    }
    consumer = new KafkaConsumer<>(consumerProperties);
    Thread t = new Thread(this::run, threadName);
    thread = t;
    t.start();
    return this;
  }

  /** Whether the consume thread is running: the liveness of {@code /health}. */
  public boolean isAlive() {
    Thread t = thread;
    return t != null && t.isAlive() && !closed;
  }

  /**
   * Whether the loop has caught up to the end offsets seen at start, and runs: {@code /ready}. Not
   * ready again after losing its partitions (out of the group) until it has caught up on the next
   * assignment; see {@link CatchUp}.
   */
  public boolean isReady() {
    return catchUp.isReady() && isAlive();
  }

  private void run() {
    Listener listener = new Listener();
    Control control = new Control();
    long backoffMillis = MIN_BACKOFF.toMillis();
    try {
      if (topicPattern != null) {
        consumer.subscribe(topicPattern, listener);
      } else {
        consumer.subscribe(topics, listener);
      }
      while (!closed) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(pollTimeout);
          accessFailure.recovered();
        } catch (WakeupException | InterruptException e) {
          throw e;
        } catch (RuntimeException e) {
          if (!accessFailure.report(e)) {
            LOG.warn("poll failed, retrying in {} ms", backoffMillis, e);
          }
          metrics.batchFailed();
          backOff(backoffMillis);
          backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
          continue;
        }
        for (TopicPartition tp : records.partitions()) {
          metrics.consumed(tp.topic(), records.records(tp).size());
        }
        Map<TopicPartition, OffsetAndMetadata> done;
        try {
          done = handler.handle(records, control);
          backoffMillis = MIN_BACKOFF.toMillis();
          if (!failures.isEmpty()) {
            records.partitions().forEach(failures::remove); // those partitions got past their failure
          }
        } catch (WakeupException | InterruptException e) {
          throw e;
        } catch (Throwable e) { // the worker survives anything; the batch is retried, then dead-lettered
          metrics.batchFailed();
          int attempts = countFailure(records);
          if (attempts >= maxBatchAttempts && deadLetter(records, e, attempts)) {
            backoffMillis = MIN_BACKOFF.toMillis();
            continue;
          }
          LOG.error("processing a batch of {} records failed (attempt {} of {}); retrying in {} ms", records.count(),
              attempts, maxBatchAttempts, backoffMillis, e);
          rewind(records);
          backOff(backoffMillis);
          backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
          continue;
        }
        commitAsync(done);
        updateLagAndReadiness();
      }
    } catch (WakeupException | InterruptException e) {
      // close() asked us to stop
    } catch (Throwable e) {
      LOG.error("consume loop stopped unexpectedly", e);
    } finally {
      shutdown();
    }
  }

  private void commitAsync(Map<TopicPartition, OffsetAndMetadata> done) {
    if (done != null && !done.isEmpty()) {
      Set<TopicPartition> assignment = consumer.assignment();
      done.forEach((tp, o) -> {
        if (assignment.contains(tp)) {
          latest.put(tp, o);
          uncommitted.put(tp, o);
        }
      });
    }
    long now = System.nanoTime();
    if (uncommitted.isEmpty() || now - lastCommitNanos < commitIntervalNanos) {
      return;
    }
    lastCommitNanos = now;
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(uncommitted);
    uncommitted.clear();
    consumer.commitAsync(offsets, (committed, exception) -> {
      if (exception != null) {
        metrics.commitFailed();
        LOG.warn("async offset commit failed (the next commit covers it): {}", exception.toString());
      }
    });
  }

  /**
   * Counts a failed attempt at {@code records}: per partition, a batch starting where the last failed
   * one started is another attempt at it. @return the attempts at this batch (its worst partition's)
   */
  private int countFailure(ConsumerRecords<byte[], byte[]> records) {
    int attempts = 0;
    for (TopicPartition tp : records.partitions()) {
      long first = records.records(tp).get(0).offset();
      long[] f = failures.get(tp);
      if (f == null || f[0] != first) {
        f = new long[] {first, 0};
        failures.put(tp, f);
      }
      f[1]++;
      attempts = (int) Math.max(attempts, f[1]);
    }
    return attempts;
  }

  /**
   * Gives up on a batch: writes its records to their dead-letter topics and, once that is
   * acknowledged, counts them and leaves the consumer positioned after them. A partition's offsets
   * past the batch are committed only if the handler's last returned offset had reached the batch
   * (so it holds no earlier record of that partition); otherwise the handler's next returned offsets
   * cover them.
   *
   * @return {@code false} if the dead-letter writes were not all acknowledged: retry the batch
   */
  private boolean deadLetter(ConsumerRecords<byte[], byte[]> records, Throwable cause, int attempts) {
    if (records.isEmpty()) {
      return false; // nothing to set aside: a handler failing on an empty poll is retried
    }
    if (deadLetters == null) {
      deadLetters = DeadLetterWriter.create(bootstrapServers, kafkaProperties, metrics);
    }
    String error = "processing the batch failed " + attempts + " times, last with " + cause;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      deadLetters.write(record, HANDLER_FAILED, error);
    }
    if (!deadLetters.awaitPending(DEAD_LETTER_ACK_TIMEOUT)) {
      LOG.error("giving up on a batch of {} records after {} attempts, but writing them to the dead-letter topic "
          + "failed; retrying the batch", records.count(), attempts, cause);
      return false;
    }
    Map<TopicPartition, OffsetAndMetadata> past = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
      list.forEach(r -> metrics.failed(tp.topic(), HANDLER_FAILED));
      OffsetAndMetadata returned = latest.get(tp);
      if (returned != null && returned.offset() >= list.get(0).offset()) {
        past.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
      }
      failures.remove(tp);
    }
    LOG.error("gave up on a batch of {} records ({}) after {} attempts: written to the dead-letter topic with reason {}",
        records.count(), firstOffsets(records), attempts, HANDLER_FAILED, cause);
    commitAsync(past);
    return true;
  }

  private static Map<TopicPartition, Long> firstOffsets(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    records.partitions().forEach(tp -> first.put(tp, records.records(tp).get(0).offset()));
    return first;
  }

  private void commitSync(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata o = latest.remove(tp);
      uncommitted.remove(tp);
      if (o != null) {
        offsets.put(tp, o);
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets, shutdownTimeout);
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (RuntimeException e) {
      metrics.commitFailed();
      LOG.warn("offset commit of {} partitions failed: {}", offsets.size(), e.toString());
    }
  }

  private void updateLagAndReadiness() {
    for (TopicPartition tp : consumer.assignment()) {
      consumer.currentLag(tp).ifPresent(lag -> metrics.lag(tp, lag));
    }
    try {
      catchUp.check(consumer);
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.debug("readiness check failed, retrying after the next poll: {}", e.toString());
    }
  }

  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    Set<TopicPartition> assignment = consumer.assignment();
    for (TopicPartition tp : records.partitions()) {
      if (assignment.contains(tp)) {
        List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
        consumer.seek(tp, list.get(0).offset());
      }
    }
  }

  private void backOff(long millis) {
    try {
      stopping.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  private void shutdown() {
    try {
      // Leaving the group calls the listener's onPartitionsRevoked, which lets the handler flush
      // and commits what it returned.
      consumer.close(shutdownTimeout);
    } catch (Throwable e) {
      LOG.warn("closing the consumer failed: {}", e.toString());
    }
    if (ownsDeadLetters && deadLetters != null) {
      deadLetters.close();
    }
    LOG.info("consume loop stopped");
  }

  /**
   * Stops the loop: wakes the consumer, lets the current batch finish, commits and leaves the group,
   * waiting at most the shutdown timeout (plus a little to join). Idempotent.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
    }
    stopping.countDown();
    if (t == null) {
      return;
    }
    consumer.wakeup();
    try {
      t.join(shutdownTimeout.toMillis() + 2_000);
      if (t.isAlive()) {
        LOG.warn("consume thread did not stop within {}; interrupting it", shutdownTimeout);
        t.interrupt();
        t.join(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Rebalance hooks: commit before revocation, keep readiness targets and lag gauges honest. */
  private final class Listener implements ConsumerRebalanceListener {
    private final Control control = new Control();

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      try {
        handler.onPartitionsRevoked(partitions);
      } catch (RuntimeException e) {
        LOG.error("handler failed on revocation of {}", partitions, e);
      }
      commitSync(partitions);
      partitions.forEach(failures::remove);
      forget(partitions);
      LOG.info("partitions revoked: {}", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      try {
        handler.onPartitionsLost(partitions);
      } catch (RuntimeException e) {
        LOG.error("handler failed on loss of {}", partitions, e);
      }
      partitions.forEach(latest::remove);
      partitions.forEach(uncommitted::remove);
      partitions.forEach(failures::remove);
      forget(partitions);
      catchUp.lost(partitions);
      LOG.warn("partitions lost: {}", partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      catchUp.assigned(partitions);
      metrics.assignedPartitions(consumer.assignment().size());
      try {
        handler.onPartitionsAssigned(partitions, control);
      } catch (RuntimeException e) {
        LOG.error("handler failed on assignment of {}", partitions, e);
      }
      LOG.info("partitions assigned: {}", partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      catchUp.revoked(partitions);
      partitions.forEach(metrics::removeLag);
      Set<TopicPartition> remaining = new java.util.HashSet<>(consumer.assignment());
      remaining.removeAll(partitions);
      metrics.assignedPartitions(remaining.size());
    }
  }

  private final class Control implements ConsumerControl {
    @Override
    public void pause(Collection<TopicPartition> partitions) {
      consumer.pause(partitions);
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
      consumer.resume(partitions);
    }

    @Override
    public Set<TopicPartition> paused() {
      return consumer.paused();
    }

    @Override
    public void rewindTo(Collection<TopicPartition> partitions, long timestampMillis) {
      if (partitions.isEmpty()) {
        return;
      }
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, Math.max(0, timestampMillis)));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(10));
      List<TopicPartition> toEnd = new java.util.ArrayList<>();
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp o = found.get(tp);
        if (o == null) {
          toEnd.add(tp);
        } else {
          consumer.seek(tp, o.offset());
        }
      }
      if (!toEnd.isEmpty()) {
        consumer.seekToEnd(toEnd);
      }
    }

    @Override
    public Set<TopicPartition> assignment() {
      return consumer.assignment();
    }
  }

  /** Configures a {@link ConsumeLoop}. */
  public static final class Builder {
    private String bootstrapServers;
    private String groupId;
    private List<String> topics;
    private Pattern topicPattern;
    private Map<String, Object> kafkaProperties = Map.of();
    private RecordHandler handler;
    private SidecarMetrics metrics;
    private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private int maxBatchAttempts = DEFAULT_MAX_BATCH_ATTEMPTS;
    private DeadLetterWriter deadLetters;
    private String threadName = "tributary-consume";
    private String assignor;

    private Builder() {}

    /** Kafka bootstrap servers. */
    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      return this;
    }

    /** The consumer group. */
    public Builder groupId(String groupId) {
      this.groupId = Objects.requireNonNull(groupId, "groupId");
      return this;
    }

    /** Subscribes to these topics. */
    public Builder topics(List<String> topics) {
      if (topics.isEmpty()) {
        throw new IllegalArgumentException("topics must not be empty");
      }
      this.topics = List.copyOf(topics);
      this.topicPattern = null;
      return this;
    }

    /** Subscribes to the topics matching a pattern (e.g. {@code .*\.events}). */
    public Builder topicPattern(Pattern pattern) {
      this.topicPattern = Objects.requireNonNull(pattern, "pattern");
      this.topics = null;
      return this;
    }

    /**
     * Extra consumer properties (e.g. security); they cannot turn auto-commit on or change the
     * deserializers.
     */
    public Builder kafkaProperties(Map<String, Object> kafkaProperties) {
      this.kafkaProperties = Map.copyOf(kafkaProperties);
      return this;
    }

    /**
     * The partition assignor class, e.g. {@code org.apache.kafka.clients.consumer.RangeAssignor}
     * for co-partitioned topics. Default: Kafka's default.
     */
    public Builder partitionAssignor(String assignorClassName) {
      this.assignor = assignorClassName;
      return this;
    }

    /** The handler of polled batches. */
    public Builder handler(RecordHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Where the loop counts; default a fresh {@link SidecarMetrics}. */
    public Builder metrics(SidecarMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** How long one poll waits; default {@link #DEFAULT_POLL_TIMEOUT}. */
    public Builder pollTimeout(Duration pollTimeout) {
      if (pollTimeout.isNegative() || pollTimeout.isZero()) {
        throw new IllegalArgumentException("pollTimeout must be positive");
      }
      this.pollTimeout = pollTimeout;
      return this;
    }

    /** Bound on {@link ConsumeLoop#close()}; default {@link #DEFAULT_SHUTDOWN_TIMEOUT}. */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      if (shutdownTimeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must not be negative");
      }
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    /**
     * The longest time between asynchronous commits of the offsets the handler returned; default
     * {@link #DEFAULT_COMMIT_INTERVAL}; zero commits after every batch.
     */
    public Builder commitInterval(Duration commitInterval) {
      if (commitInterval.isNegative()) {
        throw new IllegalArgumentException("commitInterval must not be negative");
      }
      this.commitInterval = commitInterval;
      return this;
    }

    /**
     * Failed attempts at one batch before its records are dead-lettered; default
     * {@link #DEFAULT_MAX_BATCH_ATTEMPTS}.
     */
    public Builder maxBatchAttempts(int maxBatchAttempts) {
      if (maxBatchAttempts < 1) {
        throw new IllegalArgumentException("maxBatchAttempts must be at least 1");
      }
      this.maxBatchAttempts = maxBatchAttempts;
      return this;
    }

    /**
     * Where records of batches given up on go (the sidecar's own writer; it stays the caller's to
     * close). Default: a writer the loop creates at its first give-up and closes at shutdown.
     */
    public Builder deadLetters(DeadLetterWriter deadLetters) {
      this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
      return this;
    }

    /** The consume thread's name; default {@code tributary-consume}. */
    public Builder threadName(String threadName) {
      this.threadName = Objects.requireNonNull(threadName, "threadName");
      return this;
    }

    /**
     * Validates and builds the loop (not started).
     *
     * @throws IllegalArgumentException naming the missing setting
     */
    public ConsumeLoop build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("bootstrapServers is required");
      }
      if (groupId == null || groupId.isBlank()) {
        throw new IllegalArgumentException("groupId is required");
      }
      if (topics == null && topicPattern == null) {
        throw new IllegalArgumentException("topics or topicPattern is required");
      }
      if (handler == null) {
        throw new IllegalArgumentException("handler is required");
      }
      if (metrics == null) {
        metrics = SidecarMetrics.create();
      }
      return new ConsumeLoop(this);
    }

    Map<String, Object> consumerProperties() {
      Map<String, Object> props = new HashMap<>();
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + Long.toHexString(System.nanoTime()));
      if (assignor != null) {
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
      }
      for (Map.Entry<String, Object> e : kafkaProperties.entrySet()) {
        if (ConsumerConfig.configNames().contains(e.getKey())) {
          props.put(e.getKey(), e.getValue());
        }
      }
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      return props;
    }
  }
}
