package dev.tributary.internal;

import dev.tributary.MetricSample;
import dev.tributary.wire.MetricEnvelope.MetricKind;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's own instruments, aggregated in memory and collected every step as cumulative
 * samples. Registration validates and sanitises names; recording never throws and never locks.
 */
final class MetricRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(MetricRegistry.class);

  private final ConcurrentHashMap<String, Instrument<?>> instruments = new ConcurrentHashMap<>();
  private final AtomicInteger totalSeries = new AtomicInteger();
  private final LongAdder refusedSeries = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final int maxSeries;
  private final int maxSeriesPerMetric;
  private final Clock clock;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  MetricRegistry(int maxSeries, int maxSeriesPerMetric, Clock clock) {
    this.maxSeries = maxSeries;
    this.maxSeriesPerMetric = maxSeriesPerMetric;
    this.clock = clock;
  }

  /**
   * Returns the instrument registered under {@code name}, creating it with {@code factory}; null if
   * the name is unusable or already taken by another kind or other label names (counted, warned once).
   */
  <I extends Instrument<?>> I register(Class<I> type, String rawName, MetricKind kind, String[] rawLabelNames,
      Function<Descriptor, I> factory, String help, String unit) {
    String name = Names.sanitizeMetricName(rawName);
    if (name == null) {
      reject("metric name must not be empty: " + rawName, "empty-name");
      return null;
    }
    if (!name.equals(rawName)) {
      warnOnce("name:" + rawName, "metric name '" + rawName + "' is not a valid Prometheus name; publishing it as '" + name + "'");
    }
    String[] labelNames = rawLabelNames == null ? new String[0] : new String[rawLabelNames.length];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < labelNames.length; i++) {
      String label = Names.sanitizeLabelName(rawLabelNames[i]);
      if (label == null || !seen.add(label)) {
        reject("metric " + name + ": label names must be non-empty and unique: " + Arrays.toString(rawLabelNames), "labels:" + name);
        return null;
      }
      if (!label.equals(rawLabelNames[i])) {
        warnOnce("label:" + name + ":" + rawLabelNames[i], "metric " + name + ": label name '" + rawLabelNames[i] + "' published as '" + label + "'");
      }
      labelNames[i] = label;
    }
    Descriptor descriptor = new Descriptor(name, kind, help, unit, labelNames);
    Instrument<?> existing = instruments.computeIfAbsent(name, n -> factory.apply(descriptor));
    if (!type.isInstance(existing) || !Arrays.equals(existing.descriptor.labelNames(), labelNames)) {
      reject("metric " + name + " is already registered as a " + existing.descriptor.kind().wireName()
          + " with labels " + Arrays.toString(existing.descriptor.labelNames()), "conflict:" + name);
      return null;
    }
    return type.cast(existing);
  }

  /** Reserves room for one more series of {@code instrument}; false (and counted) when a limit is reached. */
  boolean reserveSeries(Instrument<?> instrument) {
    if (instrument.seriesCount.incrementAndGet() > maxSeriesPerMetric) {
      instrument.seriesCount.decrementAndGet();
      refuse(instrument, "per-metric series limit " + maxSeriesPerMetric);
      return false;
    }
    if (totalSeries.incrementAndGet() > maxSeries) {
      totalSeries.decrementAndGet();
      instrument.seriesCount.decrementAndGet();
      refuse(instrument, "total series limit " + maxSeries);
      return false;
    }
    return true;
  }

  void releaseSeries(Instrument<?> instrument) {
    instrument.seriesCount.decrementAndGet();
    totalSeries.decrementAndGet();
  }

  private void refuse(Instrument<?> instrument, String limit) {
    refusedSeries.increment();
    warnOnce("limit:" + instrument.descriptor.name(), "metric " + instrument.descriptor.name()
        + ": new series refused, " + limit + " reached (further refusals are counted in tributary_client_series_refused_total)");
  }

  /** Counts an invalid recording (NaN, negative increment, wrong label count). */
  void rejectValue() {
    rejected.increment();
  }

  private void reject(String message, String key) {
    rejected.increment();
    warnOnce(key, message + "; the instrument discards what it is given");
  }

  private void warnOnce(String key, String message) {
    if (warned.size() < 1000 && warned.add(key)) {
      LOG.warn("Tributary: {}", message);
    }
  }

  long now() {
    return clock.millis();
  }

  void collect(Consumer<MetricSample> out) {
    for (Instrument<?> instrument : instruments.values()) {
      instrument.collect(out);
    }
  }

  long seriesActive() {
    return totalSeries.get();
  }

  long seriesRefused() {
    return refusedSeries.sum();
  }

  long rejected() {
    return rejected.sum();
  }

  /** What an instrument is: validated name, kind, help, unit and label names. */
  record Descriptor(String name, MetricKind kind, String help, String unit, String[] labelNames) {
    List<String> labelNameList() {
      return List.of(labelNames);
    }
  }

  /** Label values of one series, usable as a map key. */
  static final class LabelKey {
    private final String[] values;
    private final int hash;

    LabelKey(String[] values) {
      this.values = values;
      this.hash = Arrays.hashCode(values);
    }

    String[] values() {
      return values;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LabelKey other && hash == other.hash && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
