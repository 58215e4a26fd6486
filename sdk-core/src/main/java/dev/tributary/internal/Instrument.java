package dev.tributary.internal;

import dev.tributary.MetricSample;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An instrument's series, keyed by label values. Looking up an existing series is one
 * {@link ConcurrentHashMap#get}; creating one reserves room under the series limits first.
 *
 * @param <S> the series type
 */
abstract class Instrument<S extends Instrument.SeriesState> {
  final MetricRegistry.Descriptor descriptor;
  final MetricRegistry registry;
  final AtomicInteger seriesCount = new AtomicInteger();
  private final ConcurrentHashMap<MetricRegistry.LabelKey, S> series = new ConcurrentHashMap<>();

  Instrument(MetricRegistry.Descriptor descriptor, MetricRegistry registry) {
    this.descriptor = descriptor;
    this.registry = registry;
  }

  /** The series for these label values, or null (counted) if they are invalid or over a limit. */
  final S series(String[] values) {
    String[] names = descriptor.labelNames();
    if (values == null) {
      values = new String[0];
    }
    if (values.length != names.length) {
      registry.rejectValue();
      return null;
    }
    // Probe with the caller's array (a lookup must not copy); copy only to insert a new series.
    String[] probe = values;
    for (int i = 0; i < probe.length; i++) {
      if (probe[i] == null) {
        if (probe == values) {
          probe = values.clone();
        }
        probe[i] = "";
      }
    }
    S existing = series.get(new MetricRegistry.LabelKey(probe));
    if (existing != null) {
      return existing;
    }
    if (!registry.reserveSeries(this)) {
      return null;
    }
    String[] copy = probe == values ? values.clone() : probe;
    MetricRegistry.LabelKey key = new MetricRegistry.LabelKey(copy);
    S created = newSeries(labelMap(copy), registry.now());
    S raced = series.putIfAbsent(key, created);
    if (raced != null) {
      registry.releaseSeries(this);
      return raced;
    }
    return created;
  }

  private Map<String, String> labelMap(String[] values) {
    String[] names = descriptor.labelNames();
    if (names.length == 0) {
      return Map.of();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      labels.put(names[i], values[i]);
    }
    return Collections.unmodifiableMap(labels);
  }

  abstract S newSeries(Map<String, String> labels, long start);

  void collect(Consumer<MetricSample> out) {
    for (S s : series.values()) {
      MetricSample sample = s.sample(descriptor);
      if (sample != null) {
        out.accept(sample);
      }
    }
  }

  /** One series: its labels, start time, and how to sample it. */
  abstract static class SeriesState {
    final Map<String, String> labels;
    final long start;

    SeriesState(Map<String, String> labels, long start) {
      this.labels = labels;
      this.start = start;
    }

    abstract MetricSample sample(MetricRegistry.Descriptor d);
  }
}
