package dev.tributary.sidecar.prometheus;

import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.SeriesTemplate;
import dev.tributary.wire.MetricEnvelope.MetricKind;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The newest sample of every (series, instance), ready to be written by client_java.
 *
 * <p>A series is a metric name plus its labels plus {@code service} and {@code instance}; a user
 * label called {@code service} or {@code instance} becomes {@code exported_service} /
 * {@code exported_instance}, as Prometheus does for clashing target labels. Values are cumulative
 * (DESIGN.md), so the newest sample by envelope timestamp simply replaces the one held: an older
 * sample is out of order, an equal timestamp is a redelivery. Counters of different instances are
 * never summed here: each instance's counter resets on its own restart, and only PromQL's
 * {@code rate()}/{@code increase()} handle resets per series before summing.
 *
 * <p>Each sample is stored as the immutable client_java data point it will be written as, built
 * once at ingest, so a scrape only groups existing objects.
 *
 * <p>Threading: one writer (the consume thread: {@link #ingest}, the expiry and drop methods) and
 * any number of readers ({@link #snapshots()} on HTTP threads): families in a concurrent map, each
 * family's series in a {@link SeriesTable} whose series publish their newest immutable data point
 * through a volatile field.
 */
final class SeriesStore {
  /** Metric names the sidecar writes itself; user metrics may not use them. */
  static final List<String> RESERVED_PREFIXES = List.of("tributary_sidecar_", "tributary_prometheus_");
  static final Set<String> RESERVED_NAMES = Set.of(HealthStore.UP, HealthStore.HEARTBEAT_AGE, HealthStore.CHECK_STATUS);

  /** HELP of metrics sent without one: promtool's linter wants every metric to have a HELP. */
  static final String NO_HELP = "Sent through Tributary without help text";

  /** Validated metric names remembered per kind before the memo starts over. */
  static final int MAX_CACHED_NAMES = 65_536;

  /** What happened to a sample that was not rejected. */
  enum Outcome {
    ACCEPTED,
    /** Same timestamp as the held sample: a redelivery. Ignored. */
    DUPLICATE,
    /** Older than the staleness timeout already (a replay of old data). Ignored. */
    STALE,
    /** Of an instance that said DOWN after this sample was taken, and whose series were removed. Ignored. */
    AFTER_DOWN,
    /** Refused: the total series cap is reached. */
    REFUSED_MAX_SERIES,
    /** Refused: the metric's series cap is reached. */
    REFUSED_MAX_SERIES_PER_METRIC
  }

  /**
   * A held series: its key, the labels and instance key fixed when it was created, and its newest
   * sample. The writer replaces the sample in place; readers read only {@link #point}.
   */
  static final class Series extends SeriesKey {
    final Family family;
    final Labels labels;
    final String instanceKey;
    /** The newest sample's timestamp and partition: writer only. */
    long timestamp;
    int partition;
    /** No longer held (expired, DOWN, revoked): writer only; a template's attachment may still name it. */
    boolean removed;
    /** The newest sample, as it is written; read by scrapes. */
    volatile DataPointSnapshot point;

    Series(SeriesKey key, Family family, Labels labels, String instanceKey, DataPointSnapshot point, long timestamp,
        int partition) {
      super(java.util.Arrays.copyOf(key.parts, key.length), key.length, key.hash);
      this.family = family;
      this.labels = labels;
      this.instanceKey = instanceKey;
      this.timestamp = timestamp;
      this.partition = partition;
      this.point = point;
    }
  }

  private record DownMark(long timestamp, int partition) {}

  static final class Family {
    final String name;
    final MetricKind kind;
    final String help;
    final Unit unit;
    final SeriesTable<Series> series = new SeriesTable<>();
    /** The series in label order as of {@link SeriesTable#changes()}; built by scrapes. */
    private volatile Ordered ordered;

    Family(String name, MetricKind kind, String help, Unit unit) {
      this.name = name;
      this.kind = kind;
      this.help = help;
      this.unit = unit;
    }

    /**
     * The held series in their labels' order, the order client_java's {@link MetricSnapshot} puts
     * data points in: handed over in it, they cost that sort one pass instead of n log n label
     * comparisons per scrape (7.5% of a 100,000-series scrape). Sorted again only when series came
     * or went since; a series' samples keep its labels. Any thread.
     */
    Series[] inLabelOrder() {
      Ordered o = ordered;
      int changes = series.changes();
      if (o == null || o.changes != changes) {
        List<Series> held = new ArrayList<>(series.size());
        series.forEach(held::add);
        Series[] sorted = held.toArray(new Series[0]);
        Arrays.sort(sorted, (a, b) -> a.point.getLabels().compareTo(b.point.getLabels()));
        o = new Ordered(changes, sorted);
        ordered = o;
      }
      return o.series;
    }

    private record Ordered(int changes, Series[] series) {}
  }

  /**
   * A series of a family: its exposed label names and values, sorted by name, then {@code service}
   * and {@code instance}, as pairs in one array. It stands for exactly one client_java
   * {@link Labels} (the same names and values), but is filled from an envelope without sorting,
   * validating or copying, and its hash combines the strings' cached hashes. The writer looks up
   * with one reused probe; a new {@link Series} copies it.
   */
  static class SeriesKey {
    private String[] parts;
    private int length;
    private int hash;

    SeriesKey(String[] parts, int length, int hash) {
      this.parts = parts;
      this.length = length;
      this.hash = hash;
    }

    static SeriesKey probe() {
      return new SeriesKey(new String[16], 0, 0);
    }

    /** Fills this probe from a sample; duplicate names are left for {@link #labels} to refuse. */
    SeriesKey fill(MetricEnvelope e) {
      Map<String, String> user = e.labels();
      int n = 2 * user.size() + 4;
      if (parts.length < n) {
        parts = new String[Integer.highestOneBit(n) << 1];
      }
      int len = 0;
      for (Map.Entry<String, String> l : user.entrySet()) {
        String k = l.getKey();
        if (k.equals("service")) {
          k = "exported_service";
        } else if (k.equals("instance")) {
          k = "exported_instance";
        }
        String v = l.getValue() == null ? "" : l.getValue();
        int at = len; // insertion sort by name: a handful of labels
        while (at > 0 && parts[at - 2].compareTo(k) > 0) {
          parts[at] = parts[at - 2];
          parts[at + 1] = parts[at - 1];
          at -= 2;
        }
        parts[at] = k;
        parts[at + 1] = v;
        len += 2;
      }
      parts[len++] = e.source().service();
      parts[len++] = e.source().instance();
      this.length = len;
      return hashParts();
    }

    private SeriesKey hashParts() {
      int len = length;
      int h = 1;
      for (int i = 0; i < len; i++) {
        h = 31 * h + parts[i].hashCode();
      }
      // Label values such as pod-17 and /route-3 have hashes a few apart, and 31-combining keeps
      // them close: mix (Murmur3's finaliser), or the map's low bits collide into long chains.
      h ^= h >>> 16;
      h *= 0x85ebca6b;
      h ^= h >>> 13;
      h *= 0xc2b2ae35;
      h ^= h >>> 16;
      this.hash = h;
      return this;
    }

    /** A key of these parts, as {@link #fill} would make it from a sample (for tests of {@link SeriesTable}). */
    static SeriesKey of(String... parts) {
      return new SeriesKey(new String[16], 0, 0).fill(parts);
    }

    private SeriesKey fill(String[] ps) {
      parts = ps.clone();
      length = ps.length;
      return hashParts();
    }

    @Override
    public final int hashCode() {
      return hash;
    }

    @Override
    public final boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      if (!(o instanceof SeriesKey k) || k.hash != hash || k.length != length) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        String a = parts[i];
        String b = k.parts[i];
        if (a != b && !a.equals(b)) {
          return false;
        }
      }
      return true;
    }
  }

  private final int maxSeries;
  private final int maxSeriesPerMetric;
  private final long stalenessMillis;
  private final long downGraceMillis;
  private final Clock clock;
  private final ConcurrentHashMap<String, Family> families = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, DownMark> down = new ConcurrentHashMap<>();
  private volatile int size; // written by the single writer only
  /** What {@link #prefetch} read, kept so that its loads are not optimised away. */
  @SuppressWarnings("unused")
  private long prefetched;
  // Writer-only state: the probe for lookups and the exposed names already validated, per kind.
  private final SeriesKey probe = SeriesKey.probe();
  private final RecentSeries recent = new RecentSeries();
  @SuppressWarnings("unchecked")
  private final HashMap<String, String>[] exposedNames = new HashMap[MetricKind.values().length];

  SeriesStore(int maxSeries, int maxSeriesPerMetric, long stalenessMillis, long downGraceMillis, Clock clock) {
    this.maxSeries = maxSeries;
    this.maxSeriesPerMetric = maxSeriesPerMetric;
    this.stalenessMillis = stalenessMillis;
    this.downGraceMillis = downGraceMillis;
    this.clock = clock;
  }

  /** The number of series held. */
  int size() {
    return size;
  }

  /**
   * Takes one sample.
   *
   * @param partition the Kafka partition it came from (for dropping state on revocation)
   * @throws SampleRejected if the sample is invalid, out of order, or conflicts with the metric's kind
   */
  Outcome ingest(MetricEnvelope e, int partition) throws SampleRejected {
    return ingest(e, partition, clock.millis());
  }

  /**
   * Takes one sample, with the time of the batch it came in.
   *
   * <p>The common case, a newer sample of a series held, costs one family and one series lookup and
   * the new data point, which reuses the held {@link Labels}: names and labels are validated only
   * when a series is new (a key equal to a held one has the same, already valid, labels).
   */
  Outcome ingest(MetricEnvelope e, int partition, long now) throws SampleRejected {
    return ingest(e, partition, now, null);
  }

  /**
   * Takes one sample, with the series' {@link SeriesTemplate} from the consumer's
   * {@link dev.tributary.wire.SeriesDecoder} (or {@code null}): the store keeps the series it
   * resolves as the template's attachment, so the next sample decoded with the same template finds
   * its series without a lookup.
   */
  Outcome ingest(MetricEnvelope e, int partition, long now, SeriesTemplate template) throws SampleRejected {
    Series held = template != null && template.attachment() instanceof Series attached && !attached.removed
        ? attached : recent.get(e);
    Family family;
    String name;
    SeriesKey key = null;
    if (held != null) {
      family = held.family;
      name = family.name;
    } else {
      name = exposedName(e.name(), e.kind(), exposedNames);
      family = families.get(name);
      key = probe.fill(e);
      held = family == null ? null : family.series.get(key);
      if (held != null) {
        recent.put(e, held);
        if (template != null) {
          template.attach(held);
        }
      }
    }
    Labels labels = held == null ? labels(e) : held.labels;
    if (now - e.timestamp() > stalenessMillis) {
      return Outcome.STALE;
    }
    if (!down.isEmpty()) {
      DownMark mark = down.get(held != null ? held.instanceKey : e.source().instanceKey());
      if (mark != null && e.timestamp() <= mark.timestamp && now - mark.timestamp >= downGraceMillis) {
        return Outcome.AFTER_DOWN;
      }
    }
    if (family != null && family.kind != e.kind()) {
      throw new SampleRejected(SampleRejected.TYPE_CONFLICT, "metric " + name + " is a " + family.kind.wireName()
          + ", this sample is a " + e.kind().wireName());
    }
    if (held != null) {
      if (e.timestamp() < held.timestamp) {
        throw new SampleRejected(SampleRejected.OUT_OF_ORDER, "sample of " + name + labels + " at " + e.timestamp()
            + " is older than the one held (" + held.timestamp + ")");
      }
      if (e.timestamp() == held.timestamp) {
        return Outcome.DUPLICATE;
      }
    } else {
      if (size >= maxSeries) {
        return Outcome.REFUSED_MAX_SERIES;
      }
      if (family != null && family.series.size() >= maxSeriesPerMetric) {
        return Outcome.REFUSED_MAX_SERIES_PER_METRIC;
      }
    }
    DataPointSnapshot point = point(e, labels);
    if (family == null) {
      String help = e.help() == null || e.help().isBlank() ? NO_HELP : e.help();
      family = new Family(name, e.kind(), help, unit(name, e.unit()));
      families.put(name, family);
    }
    if (held != null) {
      held.timestamp = e.timestamp();
      held.partition = partition;
      held.point = point; // last: a scrape reads only the point
    } else {
      Series created = new Series(key, family, labels, e.source().instanceKey(), point, e.timestamp(), partition);
      family.series.add(created);
      recent.put(e, created);
      if (template != null) {
        template.attach(created);
      }
      size++;
    }
    return Outcome.ACCEPTED;
  }

  /**
   * Reads the held series of a batch's samples (those whose template names one) before the samples
   * are taken one by one. Each is otherwise a cache miss in the middle of {@link #ingest}, where the
   * processor waits for it (12% of the consume thread's time); loaded here in one loop of
   * independent loads, they are fetched from memory side by side.
   */
  void prefetch(SeriesTemplate[] templates, int n) {
    long touched = 0;
    for (int i = 0; i < n; i++) {
      if (templates[i] != null && templates[i].attachment() instanceof Series s) {
        touched += s.timestamp;
      }
    }
    prefetched = touched;
  }

  /** An instance said DOWN at {@code timestamp}: its older samples go after the grace period. */
  void markDown(String instanceKey, long timestamp, int partition) {
    DownMark mark = down.get(instanceKey);
    if (mark == null || mark.timestamp < timestamp) {
      down.put(instanceKey, new DownMark(timestamp, partition));
    }
  }

  /** An instance is up again (a heartbeat newer than its DOWN): keep its series. */
  void markUp(String instanceKey, long timestamp) {
    DownMark mark = down.get(instanceKey);
    if (mark != null && mark.timestamp < timestamp) {
      down.remove(instanceKey);
    }
  }

  /**
   * Removes series of instances that said DOWN more than the grace period ago, and series whose
   * newest sample is older than the staleness timeout.
   *
   * @return removed series: [0] stale, [1] down
   */
  long[] expire() {
    long now = clock.millis();
    long stale = 0;
    long gone = 0;
    for (Iterator<Family> fit = families.values().iterator(); fit.hasNext(); ) {
      Family family = fit.next();
      if (!down.isEmpty()) {
        gone += remove(family, series -> {
          DownMark mark = down.get(series.instanceKey);
          return mark != null && now - mark.timestamp >= downGraceMillis && series.timestamp <= mark.timestamp;
        });
      }
      stale += remove(family, series -> now - series.timestamp > stalenessMillis);
      if (family.series.size() == 0) {
        fit.remove();
      }
    }
    // A DOWN mark outlives the grace period by the staleness timeout, so replayed samples stay out.
    down.values().removeIf(mark -> now - mark.timestamp > downGraceMillis + stalenessMillis);
    if (stale + gone > 0) {
      recent.clear();
    }
    size -= (int) (stale + gone);
    return new long[] {stale, gone};
  }

  /** Removes the series of {@code family} that match, each marked {@link Series#removed}. */
  private static int remove(Family family, Predicate<Series> match) {
    return family.series.removeIf(series -> {
      if (!match.test(series)) {
        return false;
      }
      series.removed = true;
      return true;
    });
  }

  /** Forgets the series of revoked partitions. @return series removed */
  long dropPartitions(Set<Integer> partitions) {
    long dropped = 0;
    for (Iterator<Family> fit = families.values().iterator(); fit.hasNext(); ) {
      Family family = fit.next();
      dropped += remove(family, series -> partitions.contains(series.partition));
      if (family.series.size() == 0) {
        fit.remove();
      }
    }
    down.values().removeIf(mark -> partitions.contains(mark.partition));
    if (dropped > 0) {
      recent.clear();
    }
    size -= (int) dropped;
    return dropped;
  }

  /** One client_java snapshot per metric; metadata is the first sender's. */
  List<MetricSnapshot> snapshots() {
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    for (Family f : families.values()) {
      if (f.series.size() == 0) {
        continue;
      }
      Series[] held = f.inLabelOrder();
      out.add(switch (f.kind) {
        case COUNTER -> {
          CounterSnapshot.Builder b = CounterSnapshot.builder().name(f.name).help(f.help).unit(f.unit);
          for (Series series : held) {
            b.dataPoint((CounterDataPointSnapshot) series.point);
          }
          yield b.build();
        }
        case GAUGE -> {
          GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name).help(f.help).unit(f.unit);
          for (Series series : held) {
            b.dataPoint((GaugeDataPointSnapshot) series.point);
          }
          yield b.build();
        }
        case HISTOGRAM -> {
          HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(f.name).help(f.help).unit(f.unit);
          for (Series series : held) {
            b.dataPoint((HistogramDataPointSnapshot) series.point);
          }
          yield b.build();
        }
        case SUMMARY -> {
          SummarySnapshot.Builder b = SummarySnapshot.builder().name(f.name).help(f.help).unit(f.unit);
          for (Series series : held) {
            b.dataPoint((SummaryDataPointSnapshot) series.point);
          }
          yield b.build();
        }
      });
    }
    return out;
  }

  // --- validation and conversion --------------------------------------------------------------

  /**
   * The name client_java takes: counters without {@code _total} (the writers append it; a counter
   * sent as {@code orders_total} and one sent as {@code orders} are the same metric).
   */
  /** Names in {@code cache} (per kind) were validated before; the cache is bounded. */
  private static String exposedName(String name, MetricKind kind, HashMap<String, String>[] cache)
      throws SampleRejected {
    HashMap<String, String> names = cache[kind.ordinal()];
    if (names == null) {
      names = cache[kind.ordinal()] = new HashMap<>();
    }
    String exposed = names.get(name);
    if (exposed == null) {
      exposed = exposedName(name, kind);
      if (names.size() >= MAX_CACHED_NAMES) {
        names.clear();
      }
      names.put(name, exposed);
    }
    return exposed;
  }

  static String exposedName(String name, MetricKind kind) throws SampleRejected {
    if (!PrometheusNaming.isValidLegacyMetricName(name)) {
      throw new SampleRejected(SampleRejected.INVALID_NAME, "metric name '" + name + "' is not a valid Prometheus name");
    }
    String n = kind == MetricKind.COUNTER && name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
    String problem = n.isEmpty() ? "empty after removing _total" : PrometheusNaming.validateMetricName(n);
    if (problem != null) {
      throw new SampleRejected(SampleRejected.INVALID_NAME, "metric name '" + name + "': " + problem);
    }
    if (RESERVED_NAMES.contains(n) || RESERVED_PREFIXES.stream().anyMatch(n::startsWith)) {
      throw new SampleRejected(SampleRejected.INVALID_NAME, "metric name '" + name + "' is reserved for the sidecar's own metrics");
    }
    return n;
  }

  private static Unit unit(String name, String unit) {
    if (unit == null || unit.isEmpty() || !PrometheusNaming.isValidUnitName(unit) || !name.endsWith("_" + unit)) {
      return null; // client_java requires the name to end with the unit
    }
    return new Unit(unit);
  }

  static Labels labels(MetricEnvelope e) throws SampleRejected {
    Map<String, String> user = e.labels();
    String[] names = new String[user.size() + 2];
    String[] values = new String[user.size() + 2];
    int i = 0;
    for (Map.Entry<String, String> l : user.entrySet()) {
      String k = l.getKey();
      if (k == null || !PrometheusNaming.isValidLegacyLabelName(k) || k.startsWith("__")
          || (e.kind() == MetricKind.HISTOGRAM && k.equals("le"))
          || (e.kind() == MetricKind.SUMMARY && k.equals("quantile"))) {
        throw new SampleRejected(SampleRejected.INVALID_NAME, "label name '" + k + "' of " + e.name() + " is not allowed");
      }
      if (k.equals("service") || k.equals("instance")) {
        k = "exported_" + k;
      }
      names[i] = k;
      values[i] = l.getValue() == null ? "" : l.getValue();
      i++;
    }
    names[i] = "service";
    values[i++] = e.source().service();
    names[i] = "instance";
    values[i] = e.source().instance();
    try {
      return Labels.of(names, values);
    } catch (IllegalArgumentException ex) {
      throw new SampleRejected(SampleRejected.INVALID_NAME, "labels of " + e.name() + ": " + ex.getMessage());
    }
  }

  private static DataPointSnapshot point(MetricEnvelope e, Labels labels) throws SampleRejected {
    return switch (e.kind()) {
      case COUNTER -> {
        if (Double.isNaN(e.value()) || Double.isInfinite(e.value()) || e.value() < 0) {
          throw new SampleRejected(SampleRejected.INVALID_VALUE, "counter " + e.name() + " has value " + e.value()
              + " (must be finite and not negative)");
        }
        yield new CounterDataPointSnapshot(e.value(), labels, null, e.startTimestamp(), 0L); // no exemplar, no scrape time
      }
      case GAUGE -> new GaugeDataPointSnapshot(e.value(), labels, null, 0L);
      case HISTOGRAM -> histogram(e, labels);
      case SUMMARY -> summary(e, labels);
    };
  }

  private static HistogramDataPointSnapshot histogram(MetricEnvelope e, Labels labels) throws SampleRejected {
    MetricEnvelope.Histogram h = e.histogram();
    List<MetricEnvelope.Bucket> buckets = h.buckets();
    boolean explicitInf = !buckets.isEmpty() && buckets.get(buckets.size() - 1).upperBound() == Double.POSITIVE_INFINITY;
    int n = explicitInf ? buckets.size() : buckets.size() + 1;
    double[] bounds = new double[n];
    long[] counts = new long[n]; // client_java wants per-bucket counts; the wire carries cumulative ones
    long previous = 0;
    double previousBound = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < buckets.size(); i++) {
      MetricEnvelope.Bucket b = buckets.get(i);
      if (Double.isNaN(b.upperBound()) || b.upperBound() <= previousBound) {
        throw new SampleRejected(SampleRejected.INVALID_VALUE, "histogram " + e.name() + ": bucket bounds must increase");
      }
      if (b.cumulativeCount() < previous) {
        throw new SampleRejected(SampleRejected.INVALID_VALUE, "histogram " + e.name() + ": cumulative bucket counts must not decrease");
      }
      bounds[i] = b.upperBound();
      counts[i] = b.cumulativeCount() - previous;
      previous = b.cumulativeCount();
      previousBound = b.upperBound();
    }
    if (h.count() < previous || (explicitInf && h.count() != previous)) {
      throw new SampleRejected(SampleRejected.INVALID_VALUE, "histogram " + e.name() + ": count " + h.count()
          + " does not match the buckets (" + previous + ")");
    }
    if (!explicitInf) {
      bounds[n - 1] = Double.POSITIVE_INFINITY;
      counts[n - 1] = h.count() - previous;
    }
    if (Double.isNaN(h.sum())) {
      throw new SampleRejected(SampleRejected.INVALID_VALUE, "histogram " + e.name() + ": sum is NaN");
    }
    return HistogramDataPointSnapshot.builder().classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
        .sum(h.sum()).labels(labels).createdTimestampMillis(e.startTimestamp()).build();
  }

  private static SummaryDataPointSnapshot summary(MetricEnvelope e, Labels labels) throws SampleRejected {
    MetricEnvelope.Summary s = e.summary();
    List<Quantile> qs = new ArrayList<>(s.quantiles().size());
    double previous = -1;
    for (MetricEnvelope.Quantile q : s.quantiles()) {
      if (q.quantile() <= previous) {
        throw new SampleRejected(SampleRejected.INVALID_VALUE, "summary " + e.name() + ": quantiles must increase");
      }
      qs.add(new Quantile(q.quantile(), q.value()));
      previous = q.quantile();
    }
    if (Double.isNaN(s.sum())) {
      throw new SampleRejected(SampleRejected.INVALID_VALUE, "summary " + e.name() + ": sum is NaN");
    }
    return SummaryDataPointSnapshot.builder().quantiles(Quantiles.of(qs)).count(s.count()).sum(s.sum())
        .labels(labels).createdTimestampMillis(e.startTimestamp()).build();
  }
}
