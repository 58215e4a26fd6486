package dev.tributary.internal;

import dev.tributary.SpoolOverflow;
import dev.tributary.TributaryStats;
import dev.tributary.internal.spool.Spool;
import dev.tributary.internal.spool.SpoolRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events stream's path through the spool, run by the I/O thread: every event taken from the
 * in-memory buffer is appended to the spool first, then sent from the spool in order; the spool's
 * committed position advances only over the contiguous prefix Kafka acknowledged.
 *
 * <p>An asynchronous retriable failure (a delivery timeout) rewinds the read position to the earliest
 * unacknowledged record and resends from there; records after it that Kafka did accept arrive twice,
 * with their original run id and sequence number, so consumers see them as duplicates.
 *
 * <p>If the spool cannot be opened or written, the stream falls back to the in-memory buffer and its
 * overflow policy: one ERROR names the directory and the cause, and what the spool already holds is
 * still sent first (order is kept). The spool is then tried again later in the same run (after
 * {@link #REOPEN_FIRST_NANOS}, doubling up to {@link #REOPEN_MAX_NANOS}): a disk that was full or a
 * directory that was unwritable for a while is used again once it is usable, without a restart.
 */
final class EventSpooler {
  private static final Logger LOG = LoggerFactory.getLogger(EventSpooler.class);
  private static final int BATCH = 512;
  private static final long MIN_BACKOFF_MS = 20;
  private static final long MAX_BACKOFF_MS = 1000;
  /** The first attempt to use an unusable spool again comes this long after it failed. */
  static final long REOPEN_FIRST_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Attempts then double their interval up to this. */
  static final long REOPEN_MAX_NANOS = TimeUnit.MINUTES.toNanos(1);

  private enum Mode { OPENING, SPOOLING, DRAINING, MEMORY }

  private static final int IN_FLIGHT = 0;
  private static final int ACKED = 1;
  private static final int RETRY = 2;
  private static final int FAILED = 3;

  private final DeliverySettings settings;
  private final Channel events;
  private final IoWorker worker;
  private final CircuitBreaker breaker;
  private final ThrottledLog throttled = new ThrottledLog(LOG, 30_000);
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

  private volatile Mode mode = Mode.OPENING;
  private volatile Spool spool;
  private Spool.Entry pending;
  private final IoWorker.Backoff backoff = new IoWorker.Backoff();
  private byte[] held;
  /** I/O thread: the spool failed in this run and is to be tried again at {@link #reopenAtNanos}. */
  private boolean reopenWanted;
  private long reopenAtNanos;
  private long reopenDelayNanos;

  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong droppedRecovered = new AtomicLong();
  private final AtomicLong droppedOwn = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong rewinds = new AtomicLong();
  private volatile long recoveredAtOpen;
  private volatile long tornAtOpen;

  EventSpooler(DeliverySettings settings, Channel events, IoWorker worker, CircuitBreaker breaker) {
    this.settings = settings;
    this.events = events;
    this.worker = worker;
    this.breaker = breaker;
  }

  /** Opens the spool (I/O thread, at start); on failure the stream works from memory, and tries again later. */
  void open(long now) {
    open(now, false);
  }

  /**
   * Tries an unusable spool again once its time has come (I/O thread, while the stream works from
   * memory). Returns 1 if the spool is in use again.
   */
  int maybeReopen(long now) {
    if (!reopenWanted || mode != Mode.MEMORY || now - reopenAtNanos < 0) {
      return 0;
    }
    open(now, true);
    return active() ? 1 : 0;
  }

  private void scheduleReopen(long now) {
    reopenDelayNanos = reopenDelayNanos == 0 ? REOPEN_FIRST_NANOS : Math.min(REOPEN_MAX_NANOS, reopenDelayNanos * 2);
    reopenAtNanos = now + reopenDelayNanos;
    reopenWanted = true;
  }

  private void open(long now, boolean retry) {
    Path dir = settings.eventsSpoolDir();
    try {
      Spool s = Spool.open(dir, settings.eventsSpoolFsync(), settings.eventsSpoolFsyncInterval().toNanos(),
          settings.eventsSpoolMaxBytes(), settings.eventsSpoolSegmentBytes());
      recoveredAtOpen = s.recoveredRecords();
      tornAtOpen = s.tornRecords();
      if (s.tornRecords() > 0) {
        LOG.warn("Tributary: event spool {}: truncated {} torn or corrupt record tail(s) ({} bytes) left by an earlier"
            + " run; they are not replayed", dir.toAbsolutePath(), s.tornRecords(), s.tornBytes());
      }
      if (s.recoveredRecords() > 0) {
        LOG.info("Tributary: event spool {}: replaying {} event(s) an earlier run did not deliver", dir.toAbsolutePath(),
            s.recoveredRecords());
      }
      if (retry) {
        adoptRetrySlot();
        LOG.info("Tributary: the event spool directory {} is usable again; events are spooled again", dir.toAbsolutePath());
      }
      spool = s;
      reopenWanted = false;
      reopenDelayNanos = 0;
      mode = Mode.SPOOLING;
    } catch (IOException | RuntimeException e) {
      if (retry) {
        // The same failure persisting: counted and reported once, when it began.
        throttled.warn("reopen", "Tributary: the event spool directory {} is still unusable ({}); events stay in memory,"
            + " next attempt in {} s", dir.toAbsolutePath(), describe(e),
            TimeUnit.NANOSECONDS.toSeconds(Math.min(REOPEN_MAX_NANOS, reopenDelayNanos * 2)));
      } else {
        errors.incrementAndGet();
        LOG.error("Tributary: cannot use the event spool directory {} ({}); events are buffered in memory only"
            + " (events.overflow={}) and are lost if the process stops while Kafka is unreachable; the spool is tried"
            + " again later", dir.toAbsolutePath(), describe(e), events.policyName());
      }
      mode = Mode.MEMORY;
      scheduleReopen(now);
    }
  }

  /**
   * The in-memory path may hold an event in its retry slot (Kafka unreachable): it goes into the
   * spool first, ahead of the buffer, so the order is kept.
   */
  private void adoptRetrySlot() {
    ProducerRecord<String, byte[]> waiting = events.pending;
    if (waiting == null) {
      return;
    }
    held = Spool.frame(SpoolRecord.of(waiting));
    events.pending = null;
    events.backoffMillis = 0;
    events.waitingSinceNanos = 0;
  }

  /** Whether the events stream goes through the spool now; if not, the I/O thread uses the in-memory path. */
  boolean active() {
    Mode m = mode;
    return m == Mode.SPOOLING || m == Mode.DRAINING;
  }

  /** One round: acknowledgements, appends, sends, housekeeping. Returns the work done. */
  int pump(long now) {
    Spool s = spool;
    int work = 0;
    try {
      work += collect(false);
      if (mode == Mode.SPOOLING) {
        work += fill(s, now);
      }
      work += send(s, now);
      s.syncIfDue(now);
    } catch (IOException e) {
      fail(e, "writing");
      return work + 1;
    } catch (SpoolReadException e) {
      fail(e.cause, "reading");
      return work + 1;
    }
    checkpoint(s, now, false);
    if (mode == Mode.DRAINING && idle()) {
      LOG.info("Tributary: the event spool {} is drained; events now go from memory", s.directory().toAbsolutePath());
      closeQuietly(s);
      mode = Mode.MEMORY;
    }
    return work;
  }

  /** Takes events from the buffer into the spool. */
  private int fill(Spool s, long now) throws IOException {
    int n = 0;
    while (n < BATCH) {
      byte[] frame = held;
      if (frame == null) {
        Outbound item = events.poll();
        if (item == null) {
          break;
        }
        ProducerRecord<String, byte[]> record = worker.encode(events, item);
        if (record == null) {
          continue;
        }
        frame = Spool.frame(SpoolRecord.of(record));
      }
      if (!s.hasRoomFor(frame.length) && !makeRoom(s, frame.length)) {
        if (settings.eventsSpoolOverflow() == SpoolOverflow.REJECT) {
          held = frame; // stop draining: the buffer fills and sendEvent returns false
          warnFull(s, "events stay in the buffer; sendEvent returns false once it is full");
          break;
        }
        held = null;
        events.evicted.increment();
        droppedOwn.incrementAndGet();
        warnFull(s, "new events are dropped");
        n++;
        continue;
      }
      held = null;
      s.append(frame);
      n++;
    }
    if (s.hasBuffered()) {
      s.flush(now);
    }
    publishBacklog(s);
    return n;
  }

  /** With drop-oldest: deletes the oldest segments until {@code bytes} fit. */
  private boolean makeRoom(Spool s, int bytes) throws IOException {
    if (settings.eventsSpoolOverflow() != SpoolOverflow.DROP_OLDEST) {
      return false;
    }
    while (!s.hasRoomFor(bytes)) {
      Spool.Dropped dropped = s.dropOldest();
      if (dropped == null) {
        return false;
      }
      if (dropped.recovered()) {
        droppedRecovered.addAndGet(dropped.records());
      } else {
        events.evicted.add(dropped.records());
        droppedOwn.addAndGet(dropped.records());
      }
      // Acknowledgements of records in the deleted segment no longer matter: they were counted as dropped.
      for (Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); ) {
        if (dropped.contains(it.next().entry)) {
          it.remove();
        }
      }
      if (pending != null && dropped.contains(pending)) {
        pending = null;
      }
      warnFull(s, "the oldest events are dropped");
    }
    return true;
  }

  private void warnFull(Spool s, String consequence) {
    throttled.error("full", "Tributary: the event spool {} is full (events.spool.max.bytes={}, events.spool.overflow={}):"
        + " {}; Kafka unreachable for long?", s.directory().toAbsolutePath(), settings.eventsSpoolMaxBytes(),
        settings.eventsSpoolOverflow().name().toLowerCase().replace('_', '-'), consequence);
  }

  /** Sends from the spool's read position. */
  private int send(Spool s, long now) throws IOException {
    int n = 0;
    while (n < BATCH) {
      if (pending == null) {
        if (!breaker.allow(now)) {
          break;
        }
        Spool.Entry next;
        try {
          next = s.next();
        } catch (IOException e) {
          throw new SpoolReadException(e);
        }
        if (next == null) {
          break;
        }
        pending = next;
      } else if (now - backoff.retryAtNanos < 0 || !breaker.allow(now)) {
        break;
      }
      InFlight f = new InFlight(pending);
      IoWorker.Outcome outcome = worker.handOver(events, pending.record().toProducerRecord(), f, backoff, now);
      if (outcome == IoWorker.Outcome.RETRY) {
        backoff.fail(now);
        break;
      }
      if (outcome == IoWorker.Outcome.FAILED) {
        RuntimeException error = worker.lastSendError();
        if (error != null && !isFinal(error)) {
          // Not about this record (the producer failed or was closed): keep it, retry, with a fresh producer.
          if (error instanceof IllegalStateException) {
            worker.recreateProducer(true);
          }
          backoff.fail(now);
          break;
        }
        f.error = error;
        f.state = FAILED; // completes in order, with those before it
      } else {
        breaker.sent(now);
      }
      backoff.reset();
      inFlight.add(f);
      pending = null;
      n++;
    }
    return n;
  }

  /**
   * Completes acknowledged records in order. A retriable failure at the head rewinds; with
   * {@code closing}, anything but an acknowledgement stops (the producer was closed: those records
   * stay in the spool for the next start).
   */
  private int collect(boolean closing) {
    Spool s = spool;
    int n = 0;
    while (!inFlight.isEmpty()) {
      InFlight head = inFlight.peekFirst();
      int state = head.state;
      if (state == IN_FLIGHT || (closing && state != ACKED)) {
        break;
      }
      if (state == RETRY) {
        rewinds.incrementAndGet();
        s.rewind(head.entry.start());
        inFlight.clear();
        pending = null;
        backoff.fail(System.nanoTime());
        throttled.warn("rewind", "Tributary: Kafka failed to deliver a spooled event ({}); resending from the earliest"
            + " unacknowledged one", head.error);
        break;
      }
      inFlight.pollFirst();
      s.complete(head.entry);
      n++;
      if (state == ACKED) {
        if (head.entry.recovered()) {
          replayed.incrementAndGet();
        } else {
          events.sent.incrementAndGet();
        }
      } else {
        if (head.entry.recovered()) {
          droppedRecovered.incrementAndGet();
        } else {
          events.failed.incrementAndGet();
        }
        throttled.warn("failed", "Tributary: Kafka rejected a spooled event for {}: {}; it is not retried",
            head.entry.record().topic(), String.valueOf(head.error));
      }
    }
    if (inFlight.isEmpty() && pending == null) {
      s.completeAllRead();
    }
    publishBacklog(s);
    return n;
  }

  private void publishBacklog(Spool s) {
    events.spoolBacklog = s.ownBacklog() + (held == null ? 0 : 1);
  }

  private void checkpoint(Spool s, long now, boolean force) {
    try {
      s.checkpointIfDue(now, force);
    } catch (IOException e) {
      errors.incrementAndGet();
      throttled.warn("checkpoint", "Tributary: cannot write the event spool checkpoint in {} ({}); after a crash more"
          + " events are replayed (as duplicates)", s.directory().toAbsolutePath(), describe(e));
    }
  }

  /** The spool failed: one ERROR, then the in-memory path (after sending what the spool holds, if it can). */
  private void fail(IOException e, String during) {
    errors.incrementAndGet();
    Spool s = spool;
    long lost = s.discardBuffered();
    if (held != null) {
      lost++;
      held = null;
    }
    boolean readable = during.equals("writing");
    if (!readable) {
      // What the spool holds cannot be read back: give it up, counted.
      lost += s.ownBacklog();
      droppedRecovered.addAndGet(s.recoveredBacklog());
      inFlight.clear();
      pending = null;
    }
    events.evicted.add(lost);
    droppedOwn.addAndGet(lost);
    scheduleReopen(System.nanoTime());
    LOG.error("Tributary: the event spool {} failed while {} ({}); {} event(s) being written were dropped; events are"
        + " now buffered in memory only (events.overflow={}){}", s.directory().toAbsolutePath(), during, describe(e), lost,
        events.policyName(), readable ? ", after what the spool already holds has been sent" : "");
    if (readable) {
      mode = Mode.DRAINING;
      publishBacklog(s);
    } else {
      events.spoolBacklog = 0;
      closeQuietly(s);
      mode = Mode.MEMORY;
    }
  }

  /** Whether nothing is left to send from the spool. */
  boolean idle() {
    Spool s = spool;
    return !active() || (held == null && pending == null && inFlight.isEmpty() && !s.hasUnread() && !s.hasBuffered());
  }

  /** Whether a round would do anything now (for the I/O thread's decision to sleep). */
  boolean ready(long now) {
    if (!active()) {
      return false;
    }
    if (!inFlight.isEmpty() && inFlight.peekFirst().state != IN_FLIGHT) {
      return true;
    }
    if (mode == Mode.SPOOLING && (held == null ? events.hasBuffered() : spool.hasRoomFor(held.length))) {
      return true;
    }
    if (pending != null) {
      return now - backoff.retryAtNanos >= 0 && breaker.readyAtNanos(now) - now <= 0;
    }
    return spool.hasUnread() && breaker.readyAtNanos(now) - now <= 0;
  }

  /** When a round may next have work although nothing wakes the thread (a back-off or the circuit ending). */
  long nextAttemptNanos(long now) {
    long at = breaker.readyAtNanos(now);
    if (pending != null) {
      at = Math.max(at, backoff.retryAtNanos);
    }
    return at;
  }

  /**
   * At shutdown, after the producers were closed: completes what was acknowledged, appends what is
   * still in the buffer, forces and checkpoints. Returns the events of this run left in the spool.
   */
  long finish(long now) {
    Spool s = spool;
    if (!active() || s == null) {
      return 0;
    }
    try {
      collect(true);
      if (mode == Mode.SPOOLING) {
        while (events.hasBuffered() || held != null) {
          if (fill(s, now) == 0) {
            break;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e instanceof IOException io ? io : new IOException(e), "writing");
    }
    reopenWanted = false;
    long left = s.ownBacklog();
    try {
      s.close();
    } catch (IOException e) {
      errors.incrementAndGet();
      LOG.error("Tributary: could not close the event spool {} cleanly ({}); the next start replays from the last"
          + " checkpoint", s.directory().toAbsolutePath(), describe(e));
    }
    mode = Mode.MEMORY;
    if (left > 0) {
      LOG.warn("Tributary: {} event(s) stay in the spool {} and are sent at the next start with this spool directory",
          left, s.directory().toAbsolutePath());
    }
    return left;
  }

  TributaryStats.SpoolStats stats() {
    Spool s = spool;
    if (s == null) {
      return new TributaryStats.SpoolStats(false, 0, 0, 0, recoveredAtOpen, replayed.get(), droppedOwn.get()
          + droppedRecovered.get(), tornAtOpen, errors.get());
    }
    return new TributaryStats.SpoolStats(active(), s.spooled(), s.ownBacklog() + s.recoveredBacklog(), s.bytes(),
        recoveredAtOpen, replayed.get(), droppedOwn.get() + droppedRecovered.get(), s.tornRecords(), errors.get());
  }

  long rewinds() {
    return rewinds.get();
  }

  private static void closeQuietly(Spool s) {
    try {
      s.close();
    } catch (IOException | RuntimeException ignored) {
      // already failed; reported
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null ? type : type + ": " + message;
  }

  /**
   * Whether a failure is about the record itself, so resending it cannot help: it is given up,
   * counted as failed. Anything else (timeouts, a broker going away, a producer in a bad state) is
   * retried from the spool, which is the point of having one.
   */
  static boolean isFinal(Throwable e) {
    return e instanceof RecordTooLargeException
        || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidTopicException
        || e instanceof InvalidRecordException
        || e instanceof TopicAuthorizationException
        || e instanceof SerializationException;
  }

  /** A read failure, kept apart from write failures (after which the spool may still be read). */
  private static final class SpoolReadException extends RuntimeException {
    final IOException cause;

    SpoolReadException(IOException cause) {
      super(cause);
      this.cause = cause;
    }
  }

  /** A record handed to Kafka; its callback runs on the producer's network thread. */
  private final class InFlight implements Callback {
    final Spool.Entry entry;
    volatile int state = IN_FLIGHT;
    volatile Exception error;

    InFlight(Spool.Entry entry) {
      this.entry = entry;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (worker.captureSyncFailure(exception)) {
        return;
      }
      InternalThreads.markCurrent();
      if (exception == null) {
        breaker.onSuccess();
        state = ACKED;
      } else {
        error = exception;
        breaker.onFailure(System.nanoTime(), exception.toString());
        state = isFinal(exception) ? FAILED : RETRY;
      }
      worker.wake();
    }
  }
}
