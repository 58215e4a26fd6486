package dev.tributary.exporter.kafka;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Log-end-offset samples per key (a partition or a topic), newest last, kept for a bounded time
 * and count: the source of message rates and of the lag-in-seconds estimate.
 *
 * <p>Lag in seconds is the age of the oldest record a group has not consumed: the time its
 * committed offset {@code c} was appended is interpolated linearly between the two samples that
 * enclose it (the log end was at or below {@code c} at the first, above it at the second). Older
 * than every sample, it is extrapolated backwards at the average rate of the whole history, or,
 * without any growth in the history, taken as the oldest sample's time (a lower bound).
 *
 * <p>Not thread-safe: used on the collection thread only.
 */
final class OffsetHistory<K> {
  /** Hard cap on samples per key, whatever the history window (memory bound). */
  static final int MAX_SAMPLES = 720;

  private final long retentionMillis;
  private final Map<K, ArrayDeque<long[]>> samples = new HashMap<>(); // {time millis, offset}

  OffsetHistory(long retentionMillis) {
    this.retentionMillis = retentionMillis;
  }

  /** Adds a sample; an offset below the last one (topic re-created, truncated) restarts the key's history. */
  void record(K key, long nowMillis, long offset) {
    ArrayDeque<long[]> s = samples.computeIfAbsent(key, k -> new ArrayDeque<>());
    long[] last = s.peekLast();
    if (last != null && (offset < last[1] || nowMillis < last[0])) {
      s.clear();
    } else if (last != null && nowMillis == last[0]) {
      s.pollLast(); // same instant: the newer observation wins
    }
    s.addLast(new long[] {nowMillis, offset});
    while (s.size() > MAX_SAMPLES || (s.size() > 1 && s.peekFirst()[0] < nowMillis - retentionMillis)) {
      s.pollFirst();
    }
  }

  /** Forgets every key that {@code keep} refuses (deleted topics and partitions). */
  void retainIf(Predicate<K> keep) {
    samples.keySet().removeIf(keep.negate());
  }

  /**
   * Records per second between the newest sample and the newest one at least {@code windowMillis}
   * older (else the oldest); {@link Double#NaN} with fewer than two samples.
   */
  double rate(K key, long windowMillis) {
    ArrayDeque<long[]> s = samples.get(key);
    if (s == null || s.size() < 2) {
      return Double.NaN;
    }
    long[] newest = s.peekLast();
    long[] base = s.peekFirst();
    for (Iterator<long[]> it = s.descendingIterator(); it.hasNext(); ) {
      long[] sample = it.next();
      if (sample[0] <= newest[0] - windowMillis) {
        base = sample;
        break;
      }
    }
    long dt = newest[0] - base[0];
    return dt <= 0 ? Double.NaN : (newest[1] - base[1]) * 1000.0 / dt;
  }

  /**
   * The estimated time (epoch millis) the record at {@code offset} was appended, or {@link Long#MIN_VALUE}
   * if the key has no samples. An offset at or beyond the newest log end gives the newest sample's time.
   */
  long appendTime(K key, long offset) {
    ArrayDeque<long[]> s = samples.get(key);
    if (s == null || s.isEmpty()) {
      return Long.MIN_VALUE;
    }
    long[] first = s.peekFirst();
    long[] newest = s.peekLast();
    if (offset >= newest[1]) {
      return newest[0];
    }
    if (offset < first[1]) {
      long dt = newest[0] - first[0];
      long dOffset = newest[1] - first[1];
      if (dt <= 0 || dOffset <= 0) {
        return first[0]; // no growth observed: the oldest sample's time is all we know (a lower bound on the age)
      }
      return first[0] - Math.round((first[1] - offset) * (double) dt / dOffset);
    }
    long[] before = first;
    for (long[] sample : s) {
      if (sample[1] > offset) {
        double fraction = (double) (offset - before[1]) / (sample[1] - before[1]);
        return before[0] + Math.round(fraction * (sample[0] - before[0]));
      }
      before = sample;
    }
    return newest[0]; // unreachable: offset < newest[1]
  }

  /** Number of keys held (for tests). */
  int size() {
    return samples.size();
  }
}
