package dev.tributary.sidecar.elasticsearch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter: attempt n waits between half and all of
 * {@code min(max, initial * 2^(n-1))}, so retries of many sidecars (or many items) spread out
 * instead of hitting a recovering server together.
 */
final class Backoff {
  private final long initialNanos;
  private final long maxNanos;

  Backoff(Duration initial, Duration max) {
    if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("back-off needs 0 < initial <= max, was " + initial + " and " + max);
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** The delay before attempt {@code attempt + 1}, after {@code attempt} failures (at least 1). */
  long delayNanos(int attempt) {
    int shift = Math.min(Math.max(attempt, 1) - 1, 30);
    long ceiling = initialNanos << shift;
    if (ceiling <= 0 || ceiling > maxNanos) {
      ceiling = maxNanos;
    }
    long half = ceiling / 2;
    return half + ThreadLocalRandom.current().nextLong(half + 1);
  }
}
