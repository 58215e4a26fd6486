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
  private static final byte[] CONTENT_TYPE = WireHeaders.CONTENT_TYPE_V1.getBytes(StandardCharsets.UTF_8);
  private static final byte[] SCHEMA = EnvelopeCodec.SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8);
  private static final Map<EnvelopeType, byte[]> TYPES = new EnumMap<>(EnvelopeType.class);

  static {
    for (EnvelopeType type : EnvelopeType.values()) {
      TYPES.put(type, type.wireName().getBytes(StandardCharsets.UTF_8));
    }
  }

  private final Channel[] channels;
  private final Pipeline pipeline;
  private final EnvelopeCodec codec = EnvelopeCodec.create();
  private final int maxRecordBytes;
  private final Function<Boolean, Producer<String, byte[]>> producerFactory;
  private final ThrottledLog throttled = new ThrottledLog(LOG, 30_000);
  private final Callback[] callbacks;

  private volatile Thread thread;
  private volatile boolean idle;
  private volatile boolean shuttingDown;
  private volatile long deadlineNanos;
  private volatile boolean terminated;

  // I/O thread state
  private Producer<String, byte[]> throughput;
  private Producer<String, byte[]> durable;
  private long producerRetryAtNanos;
  private boolean inSend;
  private Exception syncFailure;
  private long lastWorkNanos = System.nanoTime();

  /**
   * @param producerFactory creates the durable ({@code true}) or throughput ({@code false}) producer
   */
  IoWorker(Channel[] channels, Pipeline pipeline, int maxRecordBytes,
      Function<Boolean, Producer<String, byte[]>> producerFactory) {
    this.channels = channels;
    this.pipeline = pipeline;
    this.maxRecordBytes = maxRecordBytes;
    this.producerFactory = producerFactory;
    this.callbacks = new Callback[StreamKind.values().length];
    for (Channel c : channels) {
      callbacks[c.kind.ordinal()] = (metadata, exception) -> onCompletion(c, exception);
    }
  }

  void start(Thread t) {
    this.thread = t;
    t.start();
  }

  /** Wakes the thread if it is parked; cheap when it is not. */
  void wake() {
    Thread t = thread;
    if (idle && t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Called by callers after an offer: wakes the thread only when the buffer passed its watermark. */
  void nudge(Channel c) {
    if (idle && c.queued() >= Math.min(BATCH, c.capacity / 2)) {
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
    try {
      loop();
    } finally {
      long remaining = Math.max(0, deadlineNanos - System.nanoTime());
      closeProducers(remaining);
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
      if (ensureProducers(now)) {
        for (Channel c : channels) {
          try {
            work += drain(c, now);
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
      if (c.pending != null) {
        wait = Math.min(wait, Math.max(0, c.retryAtNanos - now));
      }
    }
    if (throughput == null || durable == null) {
      wait = Math.min(wait, Math.max(0, producerRetryAtNanos - now));
    }
    if (stopping) {
      wait = Math.min(wait, Math.max(0, deadlineNanos - now));
    }
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
      if (c.pending == null ? c.queued() > 0 : now - c.retryAtNanos >= 0) {
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
    while (sent < BATCH) {
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
      if (!send(c, record)) {
        c.pending = record;
        c.backoffMillis = c.backoffMillis == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, c.backoffMillis * 2);
        c.retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(c.backoffMillis);
        return sent;
      }
      c.backoffMillis = 0;
      c.waitingSinceNanos = 0;
      sent++;
    }
    return sent;
  }

  private ProducerRecord<String, byte[]> encode(Channel c, Outbound item) {
    byte[] value;
    Envelope envelope;
    try {
      envelope = item.envelope(pipeline);
      value = codec.encode(envelope);
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
    RecordHeaders headers = new RecordHeaders();
    headers.add(WireHeaders.CONTENT_TYPE, CONTENT_TYPE);
    headers.add(WireHeaders.SCHEMA, SCHEMA);
    headers.add(WireHeaders.TYPE, TYPES.get(envelope.type()));
    String correlationId = item.correlationId();
    if (correlationId != null) {
      headers.add(WireHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
    }
    String traceparent = item.traceparent();
    if (traceparent != null) {
      headers.add(WireHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
    }
    return new ProducerRecord<>(item.topic(), null, item.timestamp, item.key(), value, headers);
  }

  /** Hands one record to the producer; false if it must be retried later. */
  private boolean send(Channel c, ProducerRecord<String, byte[]> record) {
    Producer<String, byte[]> producer = c.durable ? durable : throughput;
    syncFailure = null;
    inSend = true;
    try {
      producer.send(record, callbacks[c.kind.ordinal()]);
    } catch (RuntimeException e) {
      inSend = false;
      c.failed.incrementAndGet();
      throttled.warn("send:" + c.kind, "Tributary: Kafka refused a {} record; dropped it", c.kind.label(), e);
      return true;
    } finally {
      inSend = false;
    }
    Exception failure = syncFailure;
    if (failure == null) {
      return true;
    }
    if (failure instanceof TimeoutException) {
      long now = System.nanoTime();
      if (c.waitingSinceNanos == 0) {
        c.waitingSinceNanos = now;
      } else if (now - c.waitingSinceNanos > UNAVAILABLE_WARN_NANOS) {
        throttled.warn("wait:" + c.kind + ":" + record.topic(),
            "Tributary: topic {} has not been available for {} s ({}); buffering {} records and retrying",
            record.topic(), TimeUnit.NANOSECONDS.toSeconds(now - c.waitingSinceNanos), failure.getMessage(), c.kind.label());
      }
      return false;
    }
    c.failed.incrementAndGet();
    throttled.warn("reject:" + c.kind, "Tributary: Kafka rejected a {} record for {}: {}", c.kind.label(), record.topic(), failure.toString());
    return true;
  }

  private void onCompletion(Channel c, Exception exception) {
    if (inSend && Thread.currentThread() == thread) {
      // Synchronous failure inside send(): decided by send(), not counted here.
      syncFailure = exception;
      return;
    }
    if (exception == null) {
      c.sent.incrementAndGet();
    } else {
      c.failed.incrementAndGet();
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
