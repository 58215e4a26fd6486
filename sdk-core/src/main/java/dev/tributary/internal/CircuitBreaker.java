package dev.tributary.internal;

import dev.tributary.CircuitState;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker around one Kafka producer. After {@code threshold} consecutive failures
 * (synchronous timeouts that persist, asynchronous delivery failures) it opens: the I/O thread hands
 * nothing to that producer for the open duration, records stay buffered (or spooled) and overflow
 * by their stream's policy. Then it lets one probe record through (half-open): the probe's
 * acknowledgement closes the circuit, its failure, or no answer within the open duration, re-opens it.
 *
 * <p>Why: while Kafka is unreachable, the producer would otherwise keep accepting records into its
 * own buffer until they expire after {@code delivery.timeout.ms} and the I/O thread would keep
 * retrying every stream; with the circuit open, records wait in the client's buffers where the
 * overflow policies and counters see them.
 *
 * <p>{@link #allow} and {@link #sent} run on the I/O thread; {@link #onSuccess} and {@link #onFailure}
 * also on the producer's network thread (delivery callbacks), hence the lock. Success on a closed
 * circuit, the per-record case, takes a volatile read and no lock.
 */
final class CircuitBreaker {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  private final String producer;
  private final int threshold;
  private final long openNanos;
  private final ThrottledLog throttled = new ThrottledLog(LOG, 60_000);

  private volatile CircuitState state = CircuitState.CLOSED;
  private volatile boolean failing;
  private int consecutiveFailures; // guarded by this
  private long openUntilNanos; // guarded by this
  private boolean probeInFlight; // guarded by this
  private long probeDeadlineNanos; // guarded by this
  private final AtomicLong opened = new AtomicLong();

  CircuitBreaker(String producer, int threshold, long openNanos) {
    this.producer = producer;
    this.threshold = threshold;
    this.openNanos = openNanos;
  }

  /** Whether a record may be handed to the producer now (I/O thread). */
  boolean allow(long now) {
    if (state == CircuitState.CLOSED) {
      return true;
    }
    synchronized (this) {
      if (state == CircuitState.OPEN) {
        if (now - openUntilNanos < 0) {
          return false;
        }
        state = CircuitState.HALF_OPEN;
        probeInFlight = false;
      }
      if (state == CircuitState.HALF_OPEN) {
        if (!probeInFlight) {
          return true;
        }
        if (now - probeDeadlineNanos >= 0) {
          open(now, "the probe record was not acknowledged within " + TimeUnit.NANOSECONDS.toMillis(openNanos) + " ms");
        }
        return false;
      }
      return true;
    }
  }

  /** When {@link #allow} would next say yes, or {@code now} if it does (for the I/O thread's sleep). */
  long readyAtNanos(long now) {
    if (state == CircuitState.CLOSED) {
      return now;
    }
    synchronized (this) {
      return switch (state) {
        case OPEN -> openUntilNanos;
        case HALF_OPEN -> probeInFlight ? probeDeadlineNanos : now;
        default -> now;
      };
    }
  }

  /** A record was handed to the producer (I/O thread); in half-open state it is the probe. */
  void sent(long now) {
    if (state == CircuitState.CLOSED) {
      return;
    }
    synchronized (this) {
      if (state == CircuitState.HALF_OPEN && !probeInFlight) {
        probeInFlight = true;
        probeDeadlineNanos = now + openNanos;
      }
    }
  }

  /** Kafka acknowledged a record. */
  void onSuccess() {
    if (!failing && state == CircuitState.CLOSED) {
      return;
    }
    synchronized (this) {
      consecutiveFailures = 0;
      failing = false;
      if (state != CircuitState.CLOSED) {
        state = CircuitState.CLOSED;
        probeInFlight = false;
        LOG.info("Tributary: circuit for the {} producer closed: Kafka acknowledged records again", producer);
      }
    }
  }

  /** A failure: an asynchronous delivery failure, or a synchronous timeout that persisted. */
  void onFailure(long now, String reason) {
    synchronized (this) {
      failing = true;
      consecutiveFailures++;
      if (state == CircuitState.HALF_OPEN) {
        open(now, "the probe failed: " + reason);
      } else if (state == CircuitState.CLOSED && consecutiveFailures >= threshold) {
        open(now, consecutiveFailures + " consecutive failures, the last: " + reason);
      }
    }
  }

  private void open(long now, String why) {
    boolean first = state == CircuitState.CLOSED;
    state = CircuitState.OPEN;
    openUntilNanos = now + openNanos;
    probeInFlight = false;
    opened.incrementAndGet();
    if (first) {
      throttled.warn("open", "Tributary: circuit for the {} producer opened ({}); no records are handed to Kafka for {} ms,"
          + " then one probe", producer, why, TimeUnit.NANOSECONDS.toMillis(openNanos));
    }
  }

  CircuitState state() {
    return state;
  }

  /** Times the circuit opened (including re-opens after a failed probe). */
  long opened() {
    return opened.get();
  }

  synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }

  String producer() {
    return producer;
  }
}
