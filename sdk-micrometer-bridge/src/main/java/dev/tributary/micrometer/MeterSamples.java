package dev.tributary.micrometer;

import dev.tributary.MetricCollector;
import dev.tributary.MetricSample;
import dev.tributary.wire.MetricEnvelope;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the registry's meters into cumulative {@link MetricSample}s, every step, on the Tributary
 * client's scheduler thread. Reading a meter while application threads record into it is what
 * Micrometer's meters are built for; nothing here blocks.
 *
 * <p>One meter becomes these series ({@code <name>} is the convention name):
 * <ul>
 *   <li>counter, function counter: a counter {@code <name>} (ending in {@code _total});
 *   <li>gauge, time gauge: a gauge {@code <name>};
 *   <li>timer, distribution summary: a histogram {@code <name>} if it publishes a percentile
 *       histogram or SLO boundaries, else a summary {@code <name>} (with client-side quantiles if
 *       configured, else count and sum only); a gauge {@code <name>_max}; with both buckets and
 *       percentiles, the percentiles go to a gauge {@code <name>_percentile{quantile="…"}};
 *   <li>function timer: a summary {@code <name>} (count and sum);
 *   <li>long task timer: gauges {@code <name>_active_count}, {@code <name>_duration_sum},
 *       {@code <name>_max}, and {@code <name>_percentile{quantile="…"}} if configured;
 *   <li>any other meter: a gauge per measurement, {@code <name>} plus a suffix per statistic
 *       ({@code _count}, {@code _sum}, {@code _max}, {@code _active_count}, {@code _duration_sum}).
 * </ul>
 */
final class MeterSamples implements MetricCollector {
  private static final Logger LOG = LoggerFactory.getLogger(MeterSamples.class);
  private static final TimeUnit SECONDS = TimeUnit.SECONDS;
  private static final int MAX_REPORTED_FAILURES = 100;

  private final MeterRegistry registry;
  private final Clock clock;
  private final boolean descriptions;
  private final Map<Meter.Id, Long> starts;
  private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();

  MeterSamples(MeterRegistry registry, Clock clock, boolean descriptions, Map<Meter.Id, Long> starts) {
    this.registry = registry;
    this.clock = clock;
    this.descriptions = descriptions;
    this.starts = starts;
  }

  @Override
  public void collect(Consumer<MetricSample> out) {
    NamingConvention convention = registry.config().namingConvention();
    for (Meter meter : registry.getMeters()) {
      try {
        write(meter, convention, out);
      } catch (RuntimeException e) {
        // One failing meter (a gauge whose function throws, say) must not hide the others.
        String name = meter.getId().getName();
        if (reportedFailures.size() < MAX_REPORTED_FAILURES && reportedFailures.add(name)) {
          LOG.warn("Tributary: could not read meter {}; it is skipped while it fails (reported once)", name, e);
        }
      }
    }
  }

  private void write(Meter meter, NamingConvention convention, Consumer<MetricSample> out) {
    Meter.Id id = meter.getId();
    Series series = new Series(id.getConventionName(convention), id.getBaseUnit() == null ? null
        : convention.name(id.getBaseUnit(), Meter.Type.OTHER), descriptions ? id.getDescription() : null,
        start(id), labels(id, convention));
    meter.use(
        gauge -> out.accept(series.gauge(series.name, series.unit(series.name), gauge.value())),
        counter -> out.accept(series.counter(counter.count())),
        timer -> distribution(series, timer.takeSnapshot(), SECONDS, out),
        summary -> distribution(series, summary.takeSnapshot(), null, out),
        longTaskTimer -> longTaskTimer(series, longTaskTimer, out),
        timeGauge -> out.accept(series.gauge(series.name, series.unit(series.name), timeGauge.value(SECONDS))),
        functionCounter -> out.accept(series.counter(functionCounter.count())),
        functionTimer -> functionTimer(series, functionTimer, out),
        other -> other(series, other, out));
  }

  private long start(Meter.Id id) {
    return starts.computeIfAbsent(id, k -> clock.wallTime());
  }

  private static Map<String, String> labels(Meter.Id id, NamingConvention convention) {
    List<Tag> tags = id.getConventionTags(convention);
    if (tags.isEmpty()) {
      return Map.of();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (Tag tag : tags) {
      labels.put(tag.getKey(), tag.getValue());
    }
    return Collections.unmodifiableMap(labels);
  }

  /**
   * A timer's or distribution summary's series; {@code unit} converts a timer's values to seconds,
   * {@code null} keeps a summary's as recorded.
   */
  private static void distribution(Series series, HistogramSnapshot snapshot, TimeUnit unit, Consumer<MetricSample> out) {
    double sum = unit == null ? snapshot.total() : snapshot.total(unit);
    double max = unit == null ? snapshot.max() : snapshot.max(unit);
    List<MetricEnvelope.Quantile> quantiles = quantiles(snapshot.percentileValues(), unit);
    CountAtBucket[] counts = snapshot.histogramCounts();
    if (counts.length > 0) {
      List<MetricEnvelope.Bucket> buckets = new ArrayList<>(counts.length);
      long count = snapshot.count();
      for (CountAtBucket c : counts) {
        double bound = unit == null ? c.bucket() : c.bucket(unit);
        if (Double.isFinite(bound)) {
          buckets.add(new MetricEnvelope.Bucket(bound, (long) c.count()));
        }
        // The buckets are read after the count: a recording in between must not make the
        // histogram inconsistent (a bucket above the +Inf count).
        count = Math.max(count, (long) c.count());
      }
      out.accept(MetricSample.histogram(series.name, series.help, series.unit(series.name), series.start, series.labels,
          new MetricEnvelope.Histogram(buckets, count, sum)));
      percentileGauges(series, quantiles, out);
    } else {
      out.accept(MetricSample.summary(series.name, series.help, series.unit(series.name), series.start, series.labels,
          new MetricEnvelope.Summary(quantiles, snapshot.count(), sum)));
    }
    out.accept(series.gauge(series.name + "_max", null, max));
  }

  private static List<MetricEnvelope.Quantile> quantiles(ValueAtPercentile[] values, TimeUnit unit) {
    if (values.length == 0) {
      return List.of();
    }
    ValueAtPercentile[] sorted = values.clone();
    Arrays.sort(sorted, Comparator.comparingDouble(ValueAtPercentile::percentile));
    List<MetricEnvelope.Quantile> quantiles = new ArrayList<>(sorted.length);
    for (ValueAtPercentile v : sorted) {
      quantiles.add(new MetricEnvelope.Quantile(v.percentile(), unit == null ? v.value() : v.value(unit)));
    }
    return quantiles;
  }

  private static void percentileGauges(Series series, List<MetricEnvelope.Quantile> quantiles, Consumer<MetricSample> out) {
    for (MetricEnvelope.Quantile q : quantiles) {
      Map<String, String> labels = new LinkedHashMap<>(series.labels);
      labels.put("quantile", Double.toString(q.quantile()));
      out.accept(MetricSample.gauge(series.name + "_percentile", series.help, null, series.start,
          Collections.unmodifiableMap(labels), q.value()));
    }
  }

  private static void longTaskTimer(Series series, LongTaskTimer timer, Consumer<MetricSample> out) {
    out.accept(series.gauge(series.name + "_active_count", null, timer.activeTasks()));
    out.accept(series.gauge(series.name + "_duration_sum", null, timer.duration(SECONDS)));
    out.accept(series.gauge(series.name + "_max", null, timer.max(SECONDS)));
    ValueAtPercentile[] percentiles = timer.takeSnapshot().percentileValues();
    percentileGauges(series, quantiles(percentiles, SECONDS), out);
  }

  private static void functionTimer(Series series, FunctionTimer timer, Consumer<MetricSample> out) {
    out.accept(MetricSample.summary(series.name, series.help, series.unit(series.name), series.start, series.labels,
        new MetricEnvelope.Summary(List.of(), (long) timer.count(), timer.totalTime(SECONDS))));
  }

  private static void other(Series series, Meter meter, Consumer<MetricSample> out) {
    boolean counter = meter.getId().getType() == Meter.Type.COUNTER;
    for (Measurement m : meter.measure()) {
      Statistic statistic = m.getStatistic();
      if (counter && switch (statistic) {
        case COUNT, TOTAL, TOTAL_TIME, VALUE, UNKNOWN -> true;
        default -> false;
      }) {
        out.accept(series.counter(m.getValue()));
        continue;
      }
      String name = series.name + switch (statistic) {
        case COUNT -> "_count";
        case TOTAL, TOTAL_TIME -> "_sum";
        case MAX -> "_max";
        case ACTIVE_TASKS -> "_active_count";
        case DURATION -> "_duration_sum";
        case VALUE, UNKNOWN -> "";
      };
      out.accept(series.gauge(name, series.unit(name), m.getValue()));
    }
  }

  /** What every series of one meter shares. */
  private record Series(String name, String baseUnit, String help, long start, Map<String, String> labels) {

    MetricSample gauge(String seriesName, String unit, double value) {
      return MetricSample.gauge(seriesName, help, unit, start, labels, value);
    }

    MetricSample counter(double value) {
      return MetricSample.counter(name, help, unit(name), start, labels, value);
    }

    /**
     * The base unit, if the series is named for it ({@code _bytes}, {@code _seconds}, or those
     * before {@code _total}): OpenMetrics only allows a unit that ends the metric family's name.
     */
    String unit(String seriesName) {
      if (baseUnit == null || baseUnit.isEmpty()) {
        return null;
      }
      String family = seriesName.endsWith("_total") ? seriesName.substring(0, seriesName.length() - 6) : seriesName;
      return family.endsWith("_" + baseUnit) ? baseUnit : null;
    }
  }
}
