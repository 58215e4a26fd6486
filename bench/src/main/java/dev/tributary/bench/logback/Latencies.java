package dev.tributary.bench.logback;

import java.util.Arrays;

/** Per-call latencies in nanoseconds, and their percentiles. */
final class Latencies {
  private final long[] sorted;

  Latencies(long[] nanos) {
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  /** The {@code q}-quantile (nearest rank), in nanoseconds. */
  long quantile(double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  long max() {
    return sorted[sorted.length - 1];
  }

  long over(long nanos) {
    return sorted.length - Arrays.stream(sorted).filter(n -> n <= nanos).count();
  }

  /** The median of {@code f} over runs (the upper one of an even count). */
  static long median(java.util.List<Latencies> runs, java.util.function.ToLongFunction<Latencies> f) {
    long[] v = runs.stream().mapToLong(f).sorted().toArray();
    return v[v.length / 2];
  }

  static String micros(long nanos) {
    return nanos >= 1_000_000_000L ? String.format("%.2f s", nanos / 1e9) : String.format("%.1f µs", nanos / 1e3);
  }

  String summary() {
    return "p50 " + micros(quantile(0.5)) + ", p99 " + micros(quantile(0.99)) + ", p99.9 " + micros(quantile(0.999))
        + ", max " + micros(max());
  }
}
