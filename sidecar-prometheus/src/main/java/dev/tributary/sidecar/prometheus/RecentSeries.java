package dev.tributary.sidecar.prometheus;

import dev.tributary.wire.MetricEnvelope;
import java.util.Arrays;
import java.util.Map;

/**
 * The held series of recent samples, found by the identity of the decoded sample's parts: a
 * direct-mapped table from (metric name, kind, label map, service, instance) objects to the series.
 *
 * <p>The consume thread's decoder returns the same {@code String} objects for repeated identifiers
 * and the same unmodifiable map for a repeated {@code labels} object ({@code EnvelopeCodec}'s
 * reusable decoder), so the samples of one series usually carry the very same objects. Those are
 * immutable: the same objects mean the same series, which then needs neither the exposed name's
 * memo nor the family map nor a {@link SeriesStore.SeriesKey} built, hashed and compared field by
 * field. Anything else (a decoder that built new objects, a slot taken by another series) is a miss,
 * and the caller finds the series the long way. Memory is bounded by the slot count.
 *
 * <p>Writer only (the consume thread). {@link #clear()} whenever series are removed, so a removed
 * series is never returned.
 */
final class RecentSeries {
  /** Slots (a power of two): room for a sidecar's usual series without many collisions. */
  static final int SLOTS = 1 << 15;

  private final Object[] names = new Object[SLOTS];
  private final MetricEnvelope.MetricKind[] kinds = new MetricEnvelope.MetricKind[SLOTS];
  private final Object[] labels = new Object[SLOTS];
  private final Object[] services = new Object[SLOTS];
  private final Object[] instances = new Object[SLOTS];
  private final SeriesStore.Series[] series = new SeriesStore.Series[SLOTS];

  /** The series last {@link #put} for exactly these objects, or {@code null}. */
  SeriesStore.Series get(MetricEnvelope e) {
    String name = e.name();
    Map<String, String> l = e.labels();
    String service = e.source().service();
    String instance = e.source().instance();
    int slot = slot(name, l, instance);
    SeriesStore.Series s = series[slot];
    return s != null && names[slot] == name && labels[slot] == l && instances[slot] == instance
        && services[slot] == service && kinds[slot] == e.kind() ? s : null;
  }

  /** Remembers {@code s} as the series of {@code e}'s objects. */
  void put(MetricEnvelope e, SeriesStore.Series s) {
    int slot = slot(e.name(), e.labels(), e.source().instance());
    names[slot] = e.name();
    kinds[slot] = e.kind();
    labels[slot] = e.labels();
    services[slot] = e.source().service();
    instances[slot] = e.source().instance();
    series[slot] = s;
  }

  /** Forgets every series (some were removed from the store). */
  void clear() {
    Arrays.fill(series, null);
    Arrays.fill(names, null);
    Arrays.fill(labels, null);
    Arrays.fill(services, null);
    Arrays.fill(instances, null);
  }

  private static int slot(String name, Map<String, String> labels, String instance) {
    int h = name.hashCode() * 31 + System.identityHashCode(labels);
    h = h * 31 + instance.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h & (SLOTS - 1);
  }
}
