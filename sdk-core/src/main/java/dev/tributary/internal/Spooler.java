package dev.tributary.internal;

import dev.tributary.SpoolOverflow;
import dev.tributary.TributaryStats;
import dev.tributary.internal.spool.Spool;
import dev.tributary.internal.spool.SpoolRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * A stream's path through its spool, run by the I/O thread: records taken from the in-memory buffer
 * are appended to the spool first, then sent from the spool in order; the spool's committed position
 * advances only over the contiguous prefix Kafka acknowledged.
 *
 * <p>Events ({@link SpoolSettings#onDemand()} false) always go this way. Logs with
 * {@code logs.overflow=spill} go this way only while the stream cannot deliver from memory: the
 * spool stands by until Kafka is unreachable (a record waiting in the retry slot for
 * {@link IoWorker#SYNC_FAILURE_PERSISTS_NANOS}, or the circuit open) or slower than the
 * application (the buffer half full); then the buffer, starting with the retry slot, is moved into
 * the spool and sent from it, and once everything spooled is acknowledged the stream goes from
 * memory again. Order is kept across both switches.
 *
 * <p>An asynchronous retriable failure (a delivery timeout) rewinds the read position to the earliest
 * unacknowledged record and resends from there; records after it that Kafka did accept arrive twice,
 * with their original run id and sequence number, so consumers see them as duplicates.
 *
 * <p>If the spool cannot be opened, the stream falls back to the in-memory buffer and its overflow
 * policy: one ERROR names the directory and the cause. If a write fails (a full disk, a directory
 * gone), one ERROR too; what the spool already holds is still sent, and the records of the batch being
 * written are counted as dropped. Either way the spool is tried again in the same run (after
 * {@link #REOPEN_FIRST_NANOS}, doubling up to {@link #REOPEN_MAX_NANOS}; a failed attempt is a
 * throttled WARN, not a new ERROR or count): a disk that was full or a directory that was unwritable
 * for a while is used again once it is usable, with one INFO and a count, without a restart.
 */
final class Spooler {
  private static final Logger LOG = LoggerFactory.getLogger(Spooler.class);
  /** Bytes written (and forced) to a probe file to tell whether a spool that failed a write takes writes again. */
  private static final int PROBE_BYTES = 64 * 1024;
  private static final int BATCH = 512;
  private static final long MIN_BACKOFF_MS = 20;
  private static final long MAX_BACKOFF_MS = 1000;
  /** The first attempt to use an unusable spool again comes this long after it failed. */
  static final long REOPEN_FIRST_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Attempts then double their interval up to this. */
  static final long REOPEN_MAX_NANOS = TimeUnit.MINUTES.toNanos(1);

  /**
   * OPENING until the I/O thread opened the spool; SPOOLING: records go through it; STANDBY (logs'
   * spill only): it is open, records go from memory; DRAINING: a write failed, what it holds is still
   * sent; MEMORY: unusable or closed, records go from memory.
   */
  private enum Mode { OPENING, SPOOLING, STANDBY, DRAINING, MEMORY }

  private static final int IN_FLIGHT = 0;
  private static final int ACKED = 1;
  private static final int RETRY = 2;
  private static final int FAILED = 3;

  private final SpoolSettings settings;
  private final Channel channel;
  private final IoWorker worker;
  private final CircuitBreaker breaker;
  private final ThrottledLog throttled = new ThrottledLog(LOG, 30_000);
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

  private volatile Mode mode = Mode.OPENING;
  private volatile Spool spool;
  private Spool.Entry pending;
  private final IoWorker.Backoff backoff = new IoWorker.Backoff();
  /** The next record to append, framed, kept until appended (a full spool with reject, a failed write). */
  private byte[] held;
  /** {@link #held} as a record, for the in-memory path if the spool is given up before it is appended. */
  private ProducerRecord<String, byte[]> heldRecord;
  /** I/O thread: the spool failed in this run and is to be tried again at {@link #reopenAtNanos}. */
  private boolean reopenWanted;
  private long reopenAtNanos;
  private long reopenDelayNanos;

  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong recoveries = new AtomicLong();
  private final AtomicLong engaged = new AtomicLong();
  private final AtomicLong droppedRecovered = new AtomicLong();
  private final AtomicLong droppedOwn = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong rewinds = new AtomicLong();
  /**
   * Logs' spill: records sent from memory that Kafka gave up on (a delivery timeout in a long outage,
   * the producer closed at shutdown), added by the producer's network thread, appended by the I/O
   * thread ahead of the buffer. They arrive later than records sent after them, with their own seq.
   */
  private final ConcurrentLinkedQueue<ProducerRecord<String, byte[]>> rescued = new ConcurrentLinkedQueue<>();
  private final AtomicLong rescuedCount = new AtomicLong();
  private volatile long recoveredAtOpen;
  private volatile long tornAtOpen;

  Spooler(SpoolSettings settings, Channel channel, IoWorker worker, CircuitBreaker breaker) {
    this.settings = settings;
    this.channel = channel;
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
    if (mode == Mode.MEMORY && !rescued.isEmpty()) {
      giveUpRescued(); // rescued by a callback that raced with the switch to memory
    }
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
    Path dir = settings.dir();
    try {
      Spool s = Spool.open(dir, settings.fsync(), settings.fsyncIntervalNanos(), settings.maxBytes(),
          settings.segmentBytes());
      recoveredAtOpen = s.recoveredRecords();
      tornAtOpen = s.tornRecords();
      if (s.tornRecords() > 0) {
        LOG.warn("Tributary: {} spool {}: truncated {} torn or corrupt record tail(s) ({} bytes) left by an earlier"
            + " run; they are not replayed", settings.noun(), dir.toAbsolutePath(), s.tornRecords(), s.tornBytes());
      }
      if (s.recoveredRecords() > 0) {
        LOG.info("Tributary: {} spool {}: replaying {} {} an earlier run did not deliver", settings.noun(),
            dir.toAbsolutePath(), s.recoveredRecords(), settings.plural());
      }
      spool = s;
      reopenWanted = false;
      reopenDelayNanos = 0;
      boolean spooling = !settings.onDemand() || s.recoveredRecords() > 0;
      if (spooling) {
        // Sent after what an earlier run left, so the stream's records go through the spool for now.
        adoptRetrySlot();
      }
      if (retry) {
        recoveries.incrementAndGet();
        LOG.info("Tributary: the {} spool directory {} is usable again; {} are spooled again", settings.noun(),
            dir.toAbsolutePath(), settings.plural());
      }
      mode = spooling ? Mode.SPOOLING : Mode.STANDBY;
    } catch (IOException | RuntimeException e) {
      if (retry) {
        // The same failure persisting: counted and reported once, when it began.
        warnStillUnusable(dir, e);
      } else {
        errors.incrementAndGet();
        LOG.error("Tributary: cannot use the {} spool directory {} ({}); {} are buffered in memory only"
            + " ({}.overflow={}) and are lost if the process stops while Kafka is unreachable; the spool is tried"
            + " again later", settings.noun(), dir.toAbsolutePath(), describe(e), settings.plural(),
            settings.stream().label(), memoryPolicyName());
      }
      mode = Mode.MEMORY;
      scheduleReopen(now);
    }
  }

  private void warnStillUnusable(Path dir, Exception e) {
    throttled.warn("reopen", "Tributary: the {} spool directory {} is still unusable ({}); {} stay in memory,"
        + " next attempt in {} s", settings.noun(), dir.toAbsolutePath(), describe(e), settings.plural(),
        TimeUnit.NANOSECONDS.toSeconds(Math.min(REOPEN_MAX_NANOS, reopenDelayNanos * 2)));
  }

  /** What a full buffer does while the spool cannot be used: spill refuses the new record, as drop-newest. */
  private String memoryPolicyName() {
    return settings.onDemand() ? "spill: a full buffer refuses new records while the spool is unusable"
        : channel.policyName();
  }

  /**
   * Logs' spill (I/O thread, while the spool stands by): switches the stream to the spool if it
   * cannot deliver from memory (see the class comment). Returns whether it did.
   */
  boolean maybeEngage(long now) {
    if (mode != Mode.STANDBY) {
      return false;
    }
    boolean waiting = channel.pending != null
        && (channel.waitingSinceNanos == 0 || now - channel.waitingSinceNanos >= IoWorker.SYNC_FAILURE_PERSISTS_NANOS);
    boolean backlog = channel.hasBuffered() || channel.pending != null;
    waiting |= !rescued.isEmpty();
    boolean circuitOpen = breaker.state() != dev.tributary.CircuitState.CLOSED;
    if (!waiting && !(backlog && (circuitOpen || channel.bufferSize() >= Math.max(1, channel.capacity / 2)))) {
      return false;
    }
    adoptRetrySlot();
    engaged.incrementAndGet();
    mode = Mode.SPOOLING;
    throttled.warn("engage", "Tributary: Kafka is unreachable or slower than the application; spilling {} to the"
        + " spool {} ({} time(s) in this run; this warning repeats at most every 30 s)", settings.plural(),
        settings.dir().toAbsolutePath(), engaged.get());
    return true;
  }

  /**
   * The in-memory path may hold an event in its retry slot (Kafka unreachable): it goes into the
   * spool first, ahead of the buffer, so the order is kept.
   */
  private void adoptRetrySlot() {
    ProducerRecord<String, byte[]> waiting = channel.pending;
    if (waiting == null) {
      return;
    }
    held = Spool.frame(SpoolRecord.of(waiting));
    heldRecord = waiting;
    channel.pending = null;
    channel.backoffMillis = 0;
    channel.waitingSinceNanos = 0;
  }

  /** Whether the stream goes through the spool now; if not, the I/O thread uses the in-memory path. */
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
      if (mode == Mode.DRAINING && reopenWanted && now - reopenAtNanos >= 0) {
        work += probe(s, now);
      }
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
    if (mode == Mode.DRAINING && drained()) {
      LOG.info("Tributary: the {} spool {} is drained; {} now go from memory", settings.noun(),
          s.directory().toAbsolutePath(), settings.plural());
      closeQuietly(s);
      toMemory();
    } else if (mode == Mode.SPOOLING && settings.onDemand() && idle() && !channel.hasBuffered()) {
      // Everything spilled was acknowledged: Kafka takes records again, the stream goes from memory.
      mode = Mode.STANDBY;
    }
    return work;
  }

  /**
   * After a write failure, at the retry time: writes and forces a probe file in the spool directory
   * (the directory is there and takes writes again, with some room), then appends again. A probe that
   * fails is a throttled WARN, not a new ERROR or count; one that succeeds is one INFO and a count.
   */
  private int probe(Spool s, long now) {
    try {
      s.probeWritable(PROBE_BYTES);
    } catch (IOException | RuntimeException e) {
      scheduleReopen(now);
      warnStillUnusable(s.directory(), e);
      return 0;
    }
    reopenWanted = false;
    reopenDelayNanos = 0;
    recoveries.incrementAndGet();
    mode = Mode.SPOOLING;
    LOG.info("Tributary: the {} spool directory {} takes writes again; {} are spooled again", settings.noun(),
        s.directory().toAbsolutePath(), settings.plural());
    return 1;
  }

  /** Takes records from the buffer into the spool. */
  private int fill(Spool s, long now) throws IOException {
    int n = 0;
    while (n < BATCH) {
      byte[] frame = held;
      if (frame == null) {
        ProducerRecord<String, byte[]> record = rescued.poll();
        if (record == null) {
          Outbound item = channel.poll();
          if (item == null) {
            break;
          }
          record = worker.encode(channel, item);
          if (record == null) {
            continue;
          }
        }
        frame = Spool.frame(SpoolRecord.of(record));
        // Held until appended: after a failed append it is appended on recovery, or sent from memory.
        held = frame;
        heldRecord = record;
      }
      if (!s.hasRoomFor(frame.length) && !makeRoom(s, frame.length)) {
        if (settings.overflow() == SpoolOverflow.REJECT) {
          // Stop draining: the buffer fills and send* returns false.
          warnFull(s, settings.plural() + " stay in the buffer; " + (settings.stream() == dev.tributary.StreamKind.EVENTS
              ? "sendEvent" : "sendLog") + " returns false once it is full");
          break;
        }
        held = null;
        heldRecord = null;
        channel.evicted.increment();
        droppedOwn.incrementAndGet();
        warnFull(s, "new " + settings.plural() + " are dropped");
        n++;
        continue;
      }
      s.append(frame);
      held = null;
      heldRecord = null;
      n++;
      // Per record, so that the stream's queued count never counts a record twice or not at all for long.
      publishBacklog(s);
    }
    if (s.hasBuffered()) {
      s.flush(now);
    }
    publishBacklog(s);
    return n;
  }

  /** With drop-oldest: deletes the oldest segments until {@code bytes} fit. */
  private boolean makeRoom(Spool s, int bytes) throws IOException {
    if (settings.overflow() != SpoolOverflow.DROP_OLDEST) {
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
        channel.evicted.add(dropped.records());
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
      warnFull(s, "the oldest " + settings.plural() + " are dropped");
    }
    return true;
  }

  private void warnFull(Spool s, String consequence) {
    throttled.error("full", "Tributary: the {} spool {} is full ({}={}, {}={}): {}; Kafka unreachable for long?",
        settings.noun(), s.directory().toAbsolutePath(), settings.key("max.bytes"), settings.maxBytes(),
        settings.key("overflow"), settings.overflow().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        consequence);
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
      IoWorker.Outcome outcome = worker.handOver(channel, pending.record().toProducerRecord(), f, backoff, now);
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
        throttled.warn("rewind", "Tributary: Kafka failed to deliver a spooled {} record ({}); resending from the"
            + " earliest unacknowledged one", settings.stream().label(), head.error);
        break;
      }
      inFlight.pollFirst();
      s.complete(head.entry);
      n++;
      if (state == ACKED) {
        if (head.entry.recovered()) {
          replayed.incrementAndGet();
        } else {
          channel.sent.incrementAndGet();
        }
      } else {
        if (head.entry.recovered()) {
          droppedRecovered.incrementAndGet();
        } else {
          channel.failed.incrementAndGet();
        }
        throttled.warn("failed", "Tributary: Kafka rejected a spooled record for {}: {}; it is not retried",
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
    channel.spoolBacklog = s.ownBacklog() + (held == null ? 0 : 1);
  }

  private void checkpoint(Spool s, long now, boolean force) {
    try {
      s.checkpointIfDue(now, force);
    } catch (IOException e) {
      errors.incrementAndGet();
      throttled.warn("checkpoint", "Tributary: cannot write the {} spool checkpoint in {} ({}); after a crash more"
          + " {} are replayed (as duplicates)", settings.noun(), s.directory().toAbsolutePath(), describe(e),
          settings.plural());
    }
  }

  /**
   * The spool failed: one ERROR, then the in-memory path (after sending what the spool holds, if it
   * can). The records in the spool's write buffer are lost, counted; the held record is kept.
   */
  private void fail(IOException e, String during) {
    errors.incrementAndGet();
    Spool s = spool;
    long lost = s.discardBuffered();
    boolean readable = during.equals("writing");
    if (!readable) {
      // What the spool holds cannot be read back: give it up, counted.
      lost += s.ownBacklog();
      droppedRecovered.addAndGet(s.recoveredBacklog());
      inFlight.clear();
      pending = null;
    }
    channel.evicted.add(lost);
    droppedOwn.addAndGet(lost);
    reopenDelayNanos = 0;
    scheduleReopen(System.nanoTime());
    LOG.error("Tributary: the {} spool {} failed while {} ({}); {} {} being written were dropped; {} are now buffered"
        + " in memory only ({}.overflow={}){}; the spool is tried again later", settings.noun(),
        s.directory().toAbsolutePath(), during, describe(e), lost, settings.plural(), settings.plural(),
        settings.stream().label(), memoryPolicyName(),
        readable ? ", after what the spool already holds has been sent" : "");
    if (readable) {
      mode = Mode.DRAINING;
      publishBacklog(s);
    } else {
      closeQuietly(s);
      toMemory();
    }
  }

  /** The in-memory path takes over; the held record goes first, through the stream's retry slot. */
  private void toMemory() {
    mode = Mode.MEMORY;
    giveUpRescued();
    if (heldRecord != null) {
      channel.pending = heldRecord;
      channel.retryAtNanos = System.nanoTime();
    }
    held = null;
    heldRecord = null;
    channel.spoolBacklog = 0;
  }

  /** Whether nothing is left to send from the spool. */
  boolean idle() {
    return !active() ? rescued.isEmpty() : held == null && rescued.isEmpty() && drained();
  }

  /**
   * The callback of a record sent from memory (logs with spill): a failure that is not about the
   * record (a delivery timeout, the producer closed) puts the record into the spool instead of
   * counting it as failed, while the spool can take it.
   */
  org.apache.kafka.clients.producer.Callback rescuable(ProducerRecord<String, byte[]> record) {
    return (metadata, exception) -> {
      if (worker.captureSyncFailure(exception)) {
        return;
      }
      Mode m = mode;
      boolean rescue = exception != null && !isFinal(exception)
          && (m == Mode.STANDBY || m == Mode.SPOOLING || m == Mode.DRAINING);
      if (rescue) {
        rescued.add(record);
        long n = rescuedCount.incrementAndGet();
        throttled.warn("rescue", "Tributary: Kafka gave up on {} sent before the outage reached the buffer ({}); they"
            + " go to the spool {} and arrive later than records sent after them ({} so far)", settings.plural(),
            exception.toString(), settings.dir().toAbsolutePath(), n);
      }
      worker.completed(channel, exception, rescue);
      if (rescue) {
        worker.wake();
      }
    };
  }

  /** Rescued records the spool can no longer take: failed after all, counted. */
  private void giveUpRescued() {
    while (rescued.poll() != null) {
      channel.failed.incrementAndGet();
    }
  }

  /** Whether everything appended was sent and acknowledged (or given up). */
  private boolean drained() {
    Spool s = spool;
    return pending == null && inFlight.isEmpty() && !s.hasUnread() && !s.hasBuffered();
  }

  /** Whether a round would do anything now (for the I/O thread's decision to sleep). */
  boolean ready(long now) {
    if (!active()) {
      return false;
    }
    if (!inFlight.isEmpty() && inFlight.peekFirst().state != IN_FLIGHT) {
      return true;
    }
    if (mode == Mode.SPOOLING && (held == null ? channel.hasBuffered() || !rescued.isEmpty()
        : spool.hasRoomFor(held.length))) {
      return true;
    }
    if (pending != null) {
      return now - backoff.retryAtNanos >= 0 && breaker.readyAtNanos(now) - now <= 0;
    }
    return spool.hasUnread() && breaker.readyAtNanos(now) - now <= 0;
  }

  /** When a round may next have work although nothing wakes the thread (a back-off, the circuit ending, a probe). */
  long nextAttemptNanos(long now) {
    long at = breaker.readyAtNanos(now);
    if (pending != null) {
      at = Math.max(at, backoff.retryAtNanos);
    }
    if (mode == Mode.DRAINING && reopenWanted) {
      at = Math.min(at, reopenAtNanos);
    }
    return at;
  }

  /**
   * At shutdown, after the producers were closed: completes what was acknowledged, appends what is
   * still in the buffer (logs' spill: also when it stood by), forces and checkpoints. Returns the
   * records of this run left in the spool.
   */
  long finish(long now) {
    Spool s = spool;
    if (s == null || !(active() || mode == Mode.STANDBY)) {
      giveUpRescued();
      return 0;
    }
    if (mode == Mode.STANDBY && (channel.hasBuffered() || channel.pending != null || !rescued.isEmpty())) {
      // What the grace period could not deliver from memory is kept for the next start.
      adoptRetrySlot();
      mode = Mode.SPOOLING;
    }
    try {
      collect(true);
      if (mode == Mode.SPOOLING) {
        while (channel.hasBuffered() || held != null || !rescued.isEmpty()) {
          if (fill(s, now) == 0) {
            break;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e instanceof IOException io ? io : new IOException(e), "writing");
    }
    reopenWanted = false;
    if (held != null) {
      // Could not be appended (a full spool with reject, or the spool failing): not delivered, counted.
      channel.abandoned.incrementAndGet();
      held = null;
      heldRecord = null;
    }
    giveUpRescued();
    long left = s.ownBacklog();
    try {
      s.close();
    } catch (IOException e) {
      errors.incrementAndGet();
      LOG.error("Tributary: could not close the {} spool {} cleanly ({}); the next start replays from the last"
          + " checkpoint", settings.noun(), s.directory().toAbsolutePath(), describe(e));
    }
    mode = Mode.MEMORY;
    if (left > 0) {
      LOG.warn("Tributary: {} {} stay in the spool {} and are sent at the next start with this spool directory",
          left, settings.plural(), s.directory().toAbsolutePath());
    }
    return left;
  }

  TributaryStats.SpoolStats stats() {
    Spool s = spool;
    long dropped = droppedOwn.get() + droppedRecovered.get();
    if (s == null) {
      return new TributaryStats.SpoolStats(false, 0, 0, 0, recoveredAtOpen, replayed.get(), dropped, tornAtOpen,
          errors.get(), recoveries.get());
    }
    Mode m = mode;
    boolean enabled = m == Mode.SPOOLING || m == Mode.STANDBY || m == Mode.DRAINING;
    return new TributaryStats.SpoolStats(enabled, s.spooled(), s.ownBacklog() + s.recoveredBacklog(), s.bytes(),
        recoveredAtOpen, replayed.get(), dropped, s.tornRecords(), errors.get(),
        recoveries.get());
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
