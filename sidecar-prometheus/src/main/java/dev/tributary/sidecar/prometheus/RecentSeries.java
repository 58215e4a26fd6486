package dev.tributary.sidecar.prometheus;

import dev.tributary.wire.MetricEnvelope;
import java.util.Arrays;
import java.util.Map;

/**
 * The held series of recent samples, found by the identity of the decoded sample's parts: a
 * two-way set-associative table from (metric name, kind, label map, service, instance) objects to
 * the series.
 *
 * <p>The consume thread's decoder returns the same {@code String} objects for repeated identifiers
 * and the same unmodifiable map for a repeated {@code labels} object ({@code EnvelopeCodec}'s
 * reusable decoder), so the samples of one series usually carry the very same objects. Those are
 * immutable: the same objects mean the same series, which then needs neither the exposed name's
 * memo nor the family map nor a {@link SeriesStore.SeriesKey} built, hashed and compared field by
 * field. Anything else (a decoder that built new objects, an entry pushed out by other series) is a
 * miss, and the caller finds the series the long way. Memory is bounded by the table's size.
 *
 * <p>An entry's six references lie next to each other in one array, and the two entries of a set
 * next to each other, so a lookup reads one or two cache lines, not one per field.
 *
 * <p>Writer only (the consume thread). {@link #clear()} whenever series are removed, so a removed
 * series is never returned.
 */
final class RecentSeries {
  /** Sets (a power of two) of two entries each. */
  static final int SETS = 1 << 14;
  /** References per entry: name, kind, labels, service, instance, series, and two unused (alignment). */
  private static final int STRIDE = 8;
  private static final int NAME = 0;
  private static final int KIND = 1;
  private static final int LABELS = 2;
  private static final int SERVICE = 3;
  private static final int INSTANCE = 4;
  private static final int SERIES = 5;

  private final Object[] entries = new Object[SETS * 2 * STRIDE];

  /** The series last {@link #put} for exactly these objects, or {@code null}. */
  SeriesStore.Series get(MetricEnvelope e) {
    int at = set(e);
    SeriesStore.Series s = matching(at, e);
    return s != null ? s : matching(at + STRIDE, e);
  }

  private SeriesStore.Series matching(int at, MetricEnvelope e) {
    Object[] t = entries;
    return t[at + NAME] == e.name() && t[at + LABELS] == e.labels() && t[at + INSTANCE] == e.source().instance()
        && t[at + SERVICE] == e.source().service() && t[at + KIND] == e.kind() ? (SeriesStore.Series) t[at + SERIES] : null;
  }

  /** Remembers {@code s} as the series of {@code e}'s objects, in the first entry of its set (the other keeps the older one). */
  void put(MetricEnvelope e, SeriesStore.Series s) {
    int at = set(e);
    Object[] t = entries;
    if (!(t[at + NAME] == e.name() && t[at + LABELS] == e.labels() && t[at + INSTANCE] == e.source().instance())) {
      System.arraycopy(t, at, t, at + STRIDE, STRIDE);
    }
    t[at + NAME] = e.name();
    t[at + KIND] = e.kind();
    t[at + LABELS] = e.labels();
    t[at + SERVICE] = e.source().service();
    t[at + INSTANCE] = e.source().instance();
    t[at + SERIES] = s;
  }

  /** Forgets every series (some were removed from the store). */
  void clear() {
    Arrays.fill(entries, null);
  }

  private static int set(MetricEnvelope e) {
    Map<String, String> labels = e.labels();
    int h = e.name().hashCode() * 31 + System.identityHashCode(labels);
    h = h * 31 + e.source().instance().hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return (h & (SETS - 1)) * 2 * STRIDE;
  }
}
