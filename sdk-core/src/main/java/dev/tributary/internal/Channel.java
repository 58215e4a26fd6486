package dev.tributary.internal;

import dev.tributary.OverflowPolicy;
import dev.tributary.StreamKind;
import dev.tributary.TributaryStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One stream's bounded buffer, overflow policy and counters. Callers only {@link #offer}; the I/O
 * thread polls and owns the retry slot.
 *
 * <p>Accounting: every record taken into the buffer is counted once in {@code accepted} and ends
 * in exactly one of {@code sent}, {@code failed}, {@code evicted}, {@code rejectedLater} or
 * {@code abandoned}, or is still queued or in flight; {@link #completed()} is their sum, which
 * {@code flush} waits on.
 */
final class Channel {
  private static final int TAKE_BATCH = 256;
  private static final VarHandle TAKEN_COUNT;

  static {
    try {
      TAKEN_COUNT = MethodHandles.lookup().findVarHandle(Channel.class, "takenCount", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
  final StreamKind kind;
  final boolean durable;
  private final ArrayBlockingQueue<Outbound> buffer;
  private final OverflowPolicy policy;
  final int capacity;

  final LongAdder accepted = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder evicted = new LongAdder();
  final LongAdder rejectedAtCall = new LongAdder();
  final LongAdder truncated = new LongAdder();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong rejectedLater = new AtomicLong();
  final AtomicLong abandoned = new AtomicLong();
  /** Sequence numbers of this stream (events keep one per domain instead). */
  final AtomicLong seq = new AtomicLong();

  /** Records of this run in the stream's spool, not yet acknowledged (written by the I/O thread). */
  volatile long spoolBacklog;
  /** Records of this run left in the spool at shutdown, delivered by the next start. */
  final AtomicLong leftInSpool = new AtomicLong();

  // Owned by the I/O thread.
  /** Records the I/O thread took from the buffer in one batch (one lock for many records). */
  private final ArrayDeque<Outbound> taken;
  /** At most a sixteenth of the capacity, so what the stream holds stays close to its capacity. */
  private final int takeBatch;
  /**
   * {@code taken.size()}, readable by other threads for the stats. The I/O thread, its only writer,
   * stores it with release semantics ({@link #TAKEN_COUNT}): a volatile store after every record
   * taken cost a full fence each, for readers (the stats) that need no more than a recent value.
   */
  private volatile int takenCount;
  ProducerRecord<String, byte[]> pending;
  long retryAtNanos;
  long backoffMillis;
  long waitingSinceNanos;

  Channel(StreamKind kind, int capacity, OverflowPolicy policy, boolean durable) {
    this.kind = kind;
    this.capacity = capacity;
    this.buffer = new ArrayBlockingQueue<>(capacity);
    this.takeBatch = Math.max(1, Math.min(TAKE_BATCH, capacity / 16));
    this.taken = new ArrayDeque<>(takeBatch);
    this.policy = policy;
    this.durable = durable;
  }

  /** Takes a record into the buffer or drops one by the policy; never blocks. */
  boolean offer(Outbound item) {
    if (buffer.offer(item)) {
      accepted.increment();
      return true;
    }
    // SPILL: the I/O thread moves the buffer to the spool before it fills; full all the same, refuse.
    if (policy == OverflowPolicy.DROP_OLDEST) {
      if (buffer.poll() != null) {
        evicted.increment();
      }
      if (buffer.offer(item)) {
        accepted.increment();
        return true;
      }
    }
    refused.increment();
    return false;
  }

  /** The next record in order (I/O thread only). */
  Outbound poll() {
    Outbound next = taken.pollFirst();
    if (next == null) {
      buffer.drainTo(taken, takeBatch);
      next = taken.pollFirst();
    }
    TAKEN_COUNT.setRelease(this, taken.size());
    return next;
  }

  boolean isIdle() {
    return pending == null && takenCount == 0 && buffer.isEmpty();
  }

  /** Records in the in-memory buffer (not counting the retry slot or the spool). */
  int bufferSize() {
    return buffer.size();
  }

  /** Whether records wait in the in-memory buffer (not counting the retry slot). */
  boolean hasBuffered() {
    return takenCount > 0 || !buffer.isEmpty();
  }

  /** Records waiting: in the buffer, the retry slot, and (events) the spool. */
  int queued() {
    return (int) Math.min(Integer.MAX_VALUE, buffer.size() + takenCount + (pending == null ? 0 : 1) + spoolBacklog);
  }

  /** Whether the overflow policy is {@link OverflowPolicy#SPILL}. */
  boolean spills() {
    return policy == OverflowPolicy.SPILL;
  }

  /** The overflow policy as configured ({@code drop-newest}, {@code drop-oldest}, {@code spill}). */
  String policyName() {
    return policy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Records that reached a final outcome. */
  long completed() {
    return sent.get() + failed.get() + evicted.sum() + rejectedLater.get() + abandoned.get();
  }

  /** Drops what is left (on shutdown, after the grace period); returns how many. */
  long abandonRemaining() {
    long n = (pending == null ? 0 : 1) + taken.size();
    pending = null;
    taken.clear();
    takenCount = 0;
    while (buffer.poll() != null) {
      n++;
    }
    abandoned.addAndGet(n);
    return n;
  }

  TributaryStats.StreamStats stats() {
    return new TributaryStats.StreamStats(
        accepted.sum(),
        sent.get(),
        refused.sum() + evicted.sum() + abandoned.get(),
        rejectedAtCall.sum() + rejectedLater.get(),
        failed.get(),
        queued(),
        truncated.sum());
  }
}
