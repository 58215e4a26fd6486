package dev.tributary.internal;

import dev.tributary.StreamKind;
import dev.tributary.wire.Envelope;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.EnvelopeType;
import dev.tributary.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's I/O thread: the only thread that touches the Kafka producers.
 *
 * <p>It drains the stream buffers in small batches, encodes envelopes, and hands records to
 * {@code KafkaProducer.send}. The producers run with {@code max.block.ms=0}, so {@code send} never
 * waits: when metadata or buffer space is missing it fails at once with a retriable
 * {@link TimeoutException} (delivered synchronously through the callback), the record is kept in
 * its stream's retry slot, and that stream backs off while the others go on. So neither a caller
 * nor this thread ever sits in {@code max.block.ms}, and shutdown deadlines are kept.
 *
 * <p>When there is nothing to do the thread parks; callers wake it only when a buffer fills past a
 * watermark, and it polls every few milliseconds otherwise, so a steady trickle of records costs
 * the caller no system call.
 */
final class IoWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(IoWorker.class);
  private static final int BATCH = 512;
  private static final long MIN_BACKOFF_MS = 20;
  private static final long MAX_BACKOFF_MS = 1000;
  private static final long BUSY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long IDLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** A topic's metadata normally arrives within milliseconds of the first send; warn only after this. */
  private static final long UNAVAILABLE_WARN_NANOS = TimeUnit.SECONDS.toNanos(5);
  /**
   * A synchronous timeout counts toward the circuit breaker once the same stream has been failing
   * for this long: a topic's metadata normally arrives within milliseconds, and a burst can fill the
   * producer's buffer for a moment; neither means Kafka is unreachable.
   */
  static final long SYNC_FAILURE_PERSISTS_NANOS = TimeUnit.SECONDS.toNanos(1);
  /**
   * The headers every record of a type carries, built once and read-only. A record without a
   * correlation or trace header shares its type's instance (the producer only reads a record's
   * headers and marks them read-only, which they are already); one with either copies it (one
   * exact-size array copy; built from a {@code Header[]}, Kafka adds them one by one to an empty
   * list that grows) and adds to the copy.
   */
  private static final Map<EnvelopeType, RecordHeaders> FIXED_HEADERS = new EnumMap<>(EnvelopeType.class);

  static {
    Header contentType = new RecordHeader(WireHeaders.CONTENT_TYPE, WireHeaders.CONTENT_TYPE_V1.getBytes(StandardCharsets.UTF_8));
    Header schema = new RecordHeader(WireHeaders.SCHEMA, EnvelopeCodec.SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8));
    for (EnvelopeType type : EnvelopeType.values()) {
      RecordHeaders fixed = new RecordHeaders(new Header[] {contentType, schema,
          new RecordHeader(WireHeaders.TYPE, type.wireName().getBytes(StandardCharsets.UTF_8))});
      fixed.setReadOnly();
      FIXED_HEADERS.put(type, fixed);
    }
  }

  private final Channel[] channels;
  private final Pipeline pipeline;
  private final EnvelopeCodec.Encoder encoder = EnvelopeCodec.create().newEncoder();
  private final int maxRecordBytes;
  private final Function<Boolean, Producer<String, byte[]>> producerFactory;
  /**
   * Whether the producers run {@code ProducerInterceptor}s, which may add headers to a record in
   * place: then each attempt to send a record hands the producer a copy of the record and its
   * headers (see {@link #handOver}), so that the record's own, possibly shared, headers stay as
   * they are.
   */
  private final boolean interceptors;
  private final ThrottledLog throttled = new ThrottledLog(LOG, 30_000);
  private final KafkaAccessFailure accessFailure = new KafkaAccessFailure(LOG, "Tributary",
      "records stay buffered (events spooled, if configured) and are retried at the circuit breaker's pace");
  private final Callback[] callbacks;
  private final CircuitBreaker throughputBreaker;
  private final CircuitBreaker durableBreaker;
  /** Per stream (by ordinal), its spool path: events with a spool directory, logs with spill; else null. */
  private final Spooler[] spoolers;

  private volatile Thread thread;
  private volatile boolean idle;
  private volatile boolean wakeRequested;
  private volatile boolean shuttingDown;
  private volatile long deadlineNanos;
  private volatile boolean terminated;

  // I/O thread state
  private Producer<String, byte[]> throughput;
  private Producer<String, byte[]> durable;
  private long producerRetryAtNanos;
  private boolean inSend;
  private Exception syncFailure;
  private RuntimeException lastSendError;
  private long lastWorkNanos = System.nanoTime();
  /** {@link #send}'s scratch state, reused for every record (it runs for each one). */
  private final Backoff sendState = new Backoff();

  /**
   * @param producerFactory creates the durable ({@code true}) or throughput ({@code false}) producer
   * @param interceptors whether the producers run {@code ProducerInterceptor}s
   */
  IoWorker(Channel[] channels, Pipeline pipeline, int maxRecordBytes,
      Function<Boolean, Producer<String, byte[]>> producerFactory, boolean interceptors, DeliverySettings settings) {
    this.channels = channels;
    this.pipeline = pipeline;
    this.maxRecordBytes = maxRecordBytes;
    this.producerFactory = producerFactory;
    this.interceptors = interceptors;
    this.callbacks = new Callback[StreamKind.values().length];
    for (Channel c : channels) {
      callbacks[c.kind.ordinal()] = (metadata, exception) -> onCompletion(c, exception);
    }
    long open = settings.circuitOpenDuration().toNanos();
    this.throughputBreaker = new CircuitBreaker("throughput", settings.circuitFailureThreshold(), open);
    this.durableBreaker = new CircuitBreaker("durable", settings.circuitFailureThreshold(), open);
    this.spoolers = new Spooler[StreamKind.values().length];
    for (Channel c : channels) {
      SpoolSettings spool = c.kind == StreamKind.EVENTS ? settings.eventsSpool()
          : c.kind == StreamKind.LOGS && c.spills() ? settings.logsSpool() : null;
      if (spool != null) {
        spoolers[c.kind.ordinal()] = new Spooler(spool, c, this, breaker(c.durable));
      }
    }
  }

  /** How a record's hand-over to the producer went. */
  enum Outcome {
    /** The producer took it; the callback will tell. */
    SENT,
    /** Metadata or buffer space missing: keep it and retry after a back-off. */
    RETRY,
    /** Refused for good (counted by the caller). */
    FAILED
  }

  /** A retry slot's back-off: 20 ms doubling to 1 s. */
  static final class Backoff {
    long retryAtNanos;
    long backoffMillis;
    long waitingSinceNanos;

    void fail(long now) {
      backoffMillis = backoffMillis == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMillis * 2);
      retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
    }

    void reset() {
      backoffMillis = 0;
      waitingSinceNanos = 0;
    }
  }

  CircuitBreaker breaker(boolean durable) {
    return durable ? durableBreaker : throughputBreaker;
  }

  /** The spool path of a stream, or null. */
  Spooler spooler(StreamKind kind) {
    return spoolers[kind.ordinal()];
  }

  /** The spool path of a channel if the channel goes through it now, else null. */
  private Spooler spooling(Channel c) {
    Spooler s = spoolers[c.kind.ordinal()];
    return s != null && s.active() ? s : null;
  }

  void start(Thread t) {
    this.thread = t;
    t.start();
  }

  /** Wakes the thread if it is parked, at most once per park; cheap when it is not. */
  void wake() {
    Thread t = thread;
    if (idle && !wakeRequested && t != null) {
      wakeRequested = true;
      LockSupport.unpark(t);
    }
  }

  /**
   * Called by callers after an offer: wakes the thread only when the buffer passed its watermark,
   * and never a stream that is backing off (Kafka away: waking it would only cost the caller a
   * system call per record).
   */
  void nudge(Channel c) {
    if (idle && !wakeRequested && c.pending == null && c.bufferSize() >= Math.min(BATCH, c.capacity / 2)) {
      wake();
    }
  }

  /** Asks the thread to deliver what it can until {@code deadlineNanos}, then close the producers and stop. */
  void shutdown(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
    this.shuttingDown = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  boolean awaitTermination(long timeoutNanos) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      return true;
    }
    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
    return !t.isAlive();
  }

  boolean isTerminated() {
    return terminated;
  }

  @Override
  public void run() {
    InternalThreads.markCurrent();
    try {
      for (Spooler s : spoolers) {
        if (s != null) {
          s.open(System.nanoTime());
        }
      }
      loop();
    } finally {
      long remaining = Math.max(0, deadlineNanos - System.nanoTime());
      closeProducers(remaining);
      for (Channel c : channels) {
        Spooler s = spoolers[c.kind.ordinal()];
        if (s == null) {
          continue;
        }
        try {
          long left = s.finish(System.nanoTime());
          c.leftInSpool.set(left);
          c.spoolBacklog = left;
        } catch (Throwable t) {
          LOG.error("Tributary: could not close the {} spool", c.kind.label(), t);
        }
      }
      for (Channel c : channels) {
        long left = c.abandonRemaining();
        if (left > 0) {
          LOG.warn("Tributary: {} {} record(s) were not delivered before the shutdown grace period ended", left, c.kind.label());
        }
      }
      terminated = true;
    }
  }

  private void loop() {
    while (true) {
      long now = System.nanoTime();
      boolean stopping = shuttingDown;
      if (stopping && now - deadlineNanos >= 0) {
        return;
      }
      int work = 0;
      for (Spooler s : spoolers) {
        if (s != null && !s.active()) {
          work += s.maybeReopen(now);
        }
      }
      if (ensureProducers(now)) {
        for (Channel c : channels) {
          try {
            Spooler s = spoolers[c.kind.ordinal()];
            if (s != null && s.maybeEngage(now)) {
              work++;
            }
            work += s != null && s.active() ? s.pump(now) : drain(c, now);
          } catch (Throwable t) {
            // The worker survives anything: a bug in one batch must not stop delivery for good.
            throttled.warn("drain:" + c.kind, "Tributary: unexpected error while sending {} records", c.kind.label(), t);
          }
        }
      }
      if (stopping && allIdle()) {
        return;
      }
      if (work > 0) {
        lastWorkNanos = now;
        continue;
      }
      park(now, stopping);
    }
  }

  private void park(long now, boolean stopping) {
    long wait = now - lastWorkNanos > IDLE_AFTER_NANOS && !stopping ? IDLE_POLL_NANOS : BUSY_POLL_NANOS;
    for (Channel c : channels) {
      Spooler s = spooling(c);
      if (s != null) {
        wait = Math.min(wait, Math.max(0, s.nextAttemptNanos(now) - now));
        continue;
      }
      long at = breaker(c.durable).readyAtNanos(now);
      if (c.pending != null) {
        at = Math.max(at, c.retryAtNanos);
      }
      if (c.pending != null || c.hasBuffered()) {
        wait = Math.min(wait, Math.max(0, at - now));
      }
    }
    if (throughput == null || durable == null) {
      wait = Math.min(wait, Math.max(0, producerRetryAtNanos - now));
    }
    if (stopping) {
      wait = Math.min(wait, Math.max(0, deadlineNanos - now));
    }
    wakeRequested = false;
    idle = true;
    try {
      // Re-check after publishing 'idle': a caller that offered before seeing it will not wake us;
      // and do not sleep through a shutdown requested since this iteration began.
      boolean shutdownRequestedMeanwhile = shuttingDown && !stopping;
      if (wait > 0 && !anyReady(now) && !shutdownRequestedMeanwhile) {
        LockSupport.parkNanos(this, wait);
      }
    } finally {
      idle = false;
    }
  }

  private boolean anyReady(long now) {
    for (Channel c : channels) {
      Spooler s = spooling(c);
      if (s != null) {
        if (s.ready(now)) {
          return true;
        }
        continue;
      }
      boolean has = c.pending == null ? c.hasBuffered() : now - c.retryAtNanos >= 0;
      if (has && breaker(c.durable).readyAtNanos(now) - now <= 0) {
        return true;
      }
    }
    return false;
  }

  private boolean allIdle() {
    for (Channel c : channels) {
      if (!c.isIdle()) {
        return false;
      }
    }
    for (Spooler s : spoolers) {
      if (s != null && !s.idle()) {
        return false;
      }
    }
    return true;
  }

  private boolean ensureProducers(long now) {
    if (throughput != null && durable != null) {
      return true;
    }
    if (now - producerRetryAtNanos < 0) {
      return false;
    }
    try {
      if (throughput == null) {
        throughput = producerFactory.apply(false);
      }
      if (durable == null) {
        durable = producerFactory.apply(true);
      }
      return true;
    } catch (RuntimeException e) {
      producerRetryAtNanos = now + TimeUnit.SECONDS.toNanos(1);
      throttled.warn("create", "Tributary: cannot create the Kafka producer yet ({}); buffering and retrying", e.toString());
      return false;
    }
  }

  /** Sends up to a batch from one stream; returns how many records were handed to Kafka. */
  private int drain(Channel c, long now) {
    int sent = 0;
    CircuitBreaker breaker = breaker(c.durable);
    while (sent < BATCH) {
      if (!breaker.allow(now)) {
        return sent;
      }
      ProducerRecord<String, byte[]> record = c.pending;
      if (record != null) {
        if (now - c.retryAtNanos < 0) {
          return sent;
        }
        c.pending = null;
      } else {
        Outbound item = c.poll();
        if (item == null) {
          return sent;
        }
        record = encode(c, item);
        if (record == null) {
          continue;
        }
      }
      if (!send(c, record, now)) {
        c.pending = record;
        c.backoffMillis = c.backoffMillis == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, c.backoffMillis * 2);
        c.retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(c.backoffMillis);
        return sent;
      }
      c.backoffMillis = 0;
      c.waitingSinceNanos = 0;
      breaker.sent(now);
      sent++;
    }
    return sent;
  }

  ProducerRecord<String, byte[]> encode(Channel c, Outbound item) {
    byte[] value;
    EnvelopeType type;
    try {
      Envelope envelope = item.envelope(pipeline);
      value = encoder.encode(envelope);
      type = envelope.type();
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      c.rejectedLater.incrementAndGet();
      throttled.warn("encode:" + c.kind, "Tributary: could not encode a {} record; dropped it", c.kind.label(), e);
      return null;
    }
    if (value.length > maxRecordBytes) {
      c.rejectedLater.incrementAndGet();
      throttled.warn("size:" + c.kind, "Tributary: dropped a {} record of {} bytes (limit max.record.bytes={})",
          c.kind.label(), value.length, maxRecordBytes);
      return null;
    }
    return new ProducerRecord<>(item.topic(), null, item.timestamp, item.key(), value,
        headers(type, item.correlationId(), item.traceparent()));
  }

  /**
   * The wire headers of one record: the fixed ones of its type, then correlation and trace context.
   * Without either, the type's read-only instance itself.
   */
  static RecordHeaders headers(EnvelopeType type, String correlationId, String traceparent) {
    RecordHeaders fixed = FIXED_HEADERS.get(type);
    if (correlationId == null && traceparent == null) {
      return fixed;
    }
    RecordHeaders headers = new RecordHeaders(fixed);
    if (correlationId != null) {
      headers.add(new RecordHeader(WireHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8)));
    }
    if (traceparent != null) {
      headers.add(new RecordHeader(WireHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII)));
    }
    return headers;
  }

  /**
   * Hands one record to the producer; false if it must be retried later. {@code now} is the drain
   * round's time, not read again per record (a clock read is ~25 ns, a few per cent of a record's
   * whole cost on this thread); it only times failures, whose thresholds are seconds.
   */
  private boolean send(Channel c, ProducerRecord<String, byte[]> record, long now) {
    Backoff state = sendState;
    state.waitingSinceNanos = c.waitingSinceNanos;
    Spooler spill = spoolers[c.kind.ordinal()];
    // Logs with spill: a callback per record, so that one Kafka gives up on can go to the spool.
    Callback callback = spill != null ? spill.rescuable(record) : callbacks[c.kind.ordinal()];
    Outcome outcome = handOver(c, record, callback, state, now);
    c.waitingSinceNanos = state.waitingSinceNanos;
    if (outcome == Outcome.FAILED) {
      c.failed.incrementAndGet();
    }
    return outcome != Outcome.RETRY;
  }

  /**
   * Hands one record to the producer of its stream. A synchronous timeout (metadata or buffer
   * space missing; {@code max.block.ms=0}) is {@link Outcome#RETRY}; once it has persisted for
   * {@link #SYNC_FAILURE_PERSISTS_NANOS}, each further one counts as a failure for the circuit
   * breaker. Other synchronous errors are {@link Outcome#FAILED}, for the caller to count.
   */
  Outcome handOver(Channel c, ProducerRecord<String, byte[]> record, Callback callback, Backoff state, long now) {
    Producer<String, byte[]> producer = c.durable ? durable : throughput;
    CircuitBreaker breaker = breaker(c.durable);
    syncFailure = null;
    lastSendError = null;
    inSend = true;
    try {
      // An interceptor adds its headers in place, before the producer can fail the attempt for
      // missing metadata: on the record itself they would pile up over retries, and a record's
      // headers may be its type's shared read-only ones. Each attempt sends a copy instead.
      producer.send(interceptors ? new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
          record.key(), record.value(), new RecordHeaders(record.headers().toArray())) : record, callback);
    } catch (RuntimeException e) {
      inSend = false;
      if (accessFailure.report(e)) {
        breaker.onFailure(now, accessFailure.reason() + " (see the error logged before)");
        return Outcome.RETRY;
      }
      lastSendError = e;
      throttled.warn("send:" + c.kind, "Tributary: Kafka refused a {} record; dropped it", c.kind.label(), e);
      return Outcome.FAILED;
    } finally {
      inSend = false;
    }
    Exception failure = syncFailure;
    if (failure == null) {
      return Outcome.SENT;
    }
    if (failure instanceof TimeoutException) {
      if (accessFailure.active()) {
        // No metadata because Kafka refuses the client, reported once already: name that cause.
        breaker.onFailure(now, accessFailure.reason() + " (see the error logged before)");
        return Outcome.RETRY;
      }
      if (state.waitingSinceNanos == 0) {
        state.waitingSinceNanos = now;
      } else {
        long waited = now - state.waitingSinceNanos;
        if (waited >= SYNC_FAILURE_PERSISTS_NANOS) {
          breaker.onFailure(now, failure.getMessage());
        }
        if (waited > UNAVAILABLE_WARN_NANOS) {
          throttled.warn("wait:" + c.kind + ":" + record.topic(),
              "Tributary: topic {} has not been available for {} s ({}); buffering {} records and retrying",
              record.topic(), TimeUnit.NANOSECONDS.toSeconds(waited), failure.getMessage(), c.kind.label());
        }
      }
      return Outcome.RETRY;
    }
    if (accessFailure.report(failure)) {
      // Not the record's fault: keep it; the circuit breaker paces the retries.
      breaker.onFailure(now, accessFailure.reason() + " (see the error logged before)");
      return Outcome.RETRY;
    }
    throttled.warn("reject:" + c.kind, "Tributary: Kafka rejected a {} record for {}: {}", c.kind.label(), record.topic(), failure.toString());
    lastSendError = failure instanceof RuntimeException r ? r : new org.apache.kafka.common.KafkaException(failure);
    return Outcome.FAILED;
  }

  /** What made the last {@link #handOver} fail, or null. */
  RuntimeException lastSendError() {
    return lastSendError;
  }

  /**
   * Drops a producer that is unusable (closed, or failed fatally) without waiting; the next round
   * creates a new one. Records it still held fail through their callbacks.
   */
  void recreateProducer(boolean durableProducer) {
    Producer<String, byte[]> p = durableProducer ? durable : throughput;
    if (p == null) {
      return;
    }
    if (durableProducer) {
      durable = null;
    } else {
      throughput = null;
    }
    try {
      p.close(Duration.ZERO);
    } catch (RuntimeException e) {
      // it was unusable already
    }
    throttled.warn("recreate", "Tributary: the {} Kafka producer became unusable; creating a new one",
        durableProducer ? "durable" : "throughput");
  }

  /**
   * Called first by every delivery callback: inside {@code send()} on this thread, the callback
   * reports a synchronous failure, which {@link #handOver} decides on. Returns whether it was one.
   */
  boolean captureSyncFailure(Exception exception) {
    if (inSend && Thread.currentThread() == thread) {
      syncFailure = exception;
      return true;
    }
    return false;
  }

  private void onCompletion(Channel c, Exception exception) {
    if (captureSyncFailure(exception)) {
      // Synchronous failure inside send(): decided by handOver(), not counted here.
      return;
    }
    completed(c, exception, false);
  }

  /**
   * An asynchronous outcome of a record sent from memory (producer network thread): counted, and
   * told to the circuit breaker. A {@code rescued} failure is not counted as failed: the record went
   * to the stream's spool instead.
   */
  void completed(Channel c, Exception exception, boolean rescued) {
    InternalThreads.markCurrent();
    CircuitBreaker breaker = breaker(c.durable);
    if (exception == null) {
      c.sent.incrementAndGet();
      breaker.onSuccess();
      accessFailure.recovered();
    } else {
      if (!rescued) {
        c.failed.incrementAndGet();
      }
      if (accessFailure.report(exception)) {
        breaker.onFailure(System.nanoTime(), accessFailure.reason() + " (see the error logged before)");
        return;
      }
      breaker.onFailure(System.nanoTime(), exception.toString());
      throttled.warn("async:" + c.kind, "Tributary: failed to deliver {} records: {}", c.kind.label(), exception.toString());
    }
  }

  private void closeProducers(long remainingNanos) {
    Duration grace = Duration.ofNanos(remainingNanos);
    for (Producer<String, byte[]> p : new Producer[] {throughput, durable}) {
      if (p == null) {
        continue;
      }
      try {
        p.close(grace);
      } catch (RuntimeException e) {
        LOG.warn("Tributary: error while closing a Kafka producer", e);
      }
      grace = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
  }
}
