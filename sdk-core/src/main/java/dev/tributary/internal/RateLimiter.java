package dev.tributary.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A token bucket for one stream, on the caller's thread, lock-free: {@code burst} records at once,
 * refilled at {@code rate} per second.
 *
 * <p>Cheap on the path that matters: while tokens are left, a permit is one atomic decrement, with no
 * clock read. Only when the bucket looks empty does a caller read the clock and add the tokens that
 * accrued since the last refill (one caller wins the refill by a compare-and-set on the refill time;
 * the others retry the bucket). So a stream under its limit never reads the clock, and one over it
 * pays a {@code nanoTime} per refused record, which it was going to drop anyway.
 *
 * <p>The price: the time the bucket sat full is not observed, so the first refill after a quiet
 * period can add up to one more burst. Over any interval a stream gets at most
 * {@code rate * interval + 2 * burst} records.
 */
final class RateLimiter {
  private final long nanosPerToken;
  private final long burst;
  private final LongSupplier nanoClock;
  private final AtomicLong tokens;
  private final AtomicLong refilledAt;
  final LongAdder limited = new LongAdder();

  RateLimiter(long perSecond, long burst, LongSupplier nanoClock) {
    if (perSecond <= 0 || burst <= 0) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.nanosPerToken = Math.max(1, 1_000_000_000L / perSecond);
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.tokens = new AtomicLong(burst);
    this.refilledAt = new AtomicLong(nanoClock.getAsLong());
  }

  /** A limiter for the configured rate, or {@code null} for no limit. */
  static RateLimiter of(long perSecond, long burst) {
    return perSecond <= 0 ? null : new RateLimiter(perSecond, burst, System::nanoTime);
  }

  /** Takes a permit; {@code false} (counted) if the stream is over its rate. */
  boolean tryAcquire() {
    if (tokens.getAndDecrement() > 0) {
      return true;
    }
    if (refill() && tokens.getAndDecrement() > 0) {
      return true;
    }
    limited.increment();
    return false;
  }

  /** Adds the tokens accrued since the last refill; whether there were any. */
  private boolean refill() {
    long now = nanoClock.getAsLong();
    long last = refilledAt.get();
    long accrued = (now - last) / nanosPerToken;
    if (accrued <= 0) {
      return false;
    }
    // Advance by whole tokens (keeps the remainder), but never let an idle bucket bank more than a burst.
    long next = accrued > burst ? now : last + accrued * nanosPerToken;
    if (!refilledAt.compareAndSet(last, next)) {
      return true; // another caller refilled: try the bucket again
    }
    long add = Math.min(accrued, burst);
    while (true) {
      long current = tokens.get();
      // Failed decrements drove the count below zero; they took nothing, so start from zero.
      long updated = Math.min(burst, Math.max(0, current) + add);
      if (tokens.compareAndSet(current, updated)) {
        return true;
      }
    }
  }

  long limited() {
    return limited.sum();
  }
}
