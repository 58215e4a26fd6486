package dev.tributary.micrometer;

import dev.tributary.Registration;
import dev.tributary.Tributary;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeCounter;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionCounter;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionTimer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.internal.DefaultGauge;
import io.micrometer.core.instrument.internal.DefaultLongTaskTimer;
import io.micrometer.core.instrument.internal.DefaultMeter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A Micrometer {@link MeterRegistry} that publishes every meter to Kafka's {@code metrics.events}
 * topic through a Tributary client, for the Prometheus sidecar to expose.
 *
 * <pre>{@code
 * TributaryMeterRegistry registry = TributaryMeterRegistry.builder(key -> props.getProperty(key)).build();
 * new JvmMemoryMetrics().bindTo(registry);
 * ...
 * registry.close(); // publishes the final values, then closes the client it created
 * }</pre>
 *
 * <h2>Cumulative, not step</h2>
 * This registry keeps cumulative state, like {@code PrometheusMeterRegistry}: counters, timer and
 * summary counts and sums, and histogram buckets only ever grow from the meter's registration on,
 * and every series carries that start time. The Tributary client collects the registry every step
 * (its {@code metrics.step}) on its own scheduler thread and publishes those cumulative values. A
 * {@code StepMeterRegistry} would publish per-step deltas instead, and a delta is wrong twice under
 * Kafka's at-least-once delivery: a redelivered record counts twice, a lost one is lost forever.
 * A cumulative value is idempotent (the newest sample wins) and self-healing (the next step carries
 * what a lost one had). So {@link Counter#count()} is the total since registration, and only
 * the windowed statistics (client-side percentiles and {@code _max}) are over the last
 * {@link TributaryConfig#step()} or so.
 *
 * <h2>Series</h2>
 * Names follow {@link TributaryNamingConvention} ({@code _total}, {@code _seconds},
 * {@code _bytes}); timers are published in seconds; common tags and meter tags become labels.
 * Timers and distribution summaries with a percentile histogram or service-level objectives become
 * histograms with cumulative buckets; with client-side percentiles only, summaries with quantiles;
 * otherwise summaries with count and sum. {@code docs/micrometer.md} lists every series.
 *
 * <h2>Lifecycle</h2>
 * {@link Builder#build()} registers the registry with the client. {@link #close()} publishes the
 * final partial step exactly once (by closing that registration), closes the client if the
 * registry created it (never a shared one), and closes the meters. Values recorded after
 * {@code close()} are not published. If a shared client is closed first, its shutdown publishes the
 * registry's final step, and the registry's own {@code close()} then publishes nothing more.
 *
 * <p>Recording never touches Kafka and never throws because Kafka is down: while it is, the
 * client buffers samples and drops the oldest when its buffer is full, counting every drop.
 */
public final class TributaryMeterRegistry extends MeterRegistry {
  private final TributaryConfig config;
  private final Tributary client;
  private final boolean ownsClient;
  private final Map<Meter.Id, Long> starts = new ConcurrentHashMap<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile Registration registration;

  private TributaryMeterRegistry(TributaryConfig config, Clock clock, Tributary client, boolean ownsClient) {
    super(clock);
    this.config = config;
    this.client = client;
    this.ownsClient = ownsClient;
    config().namingConvention(new TributaryNamingConvention());
    config().onMeterRemoved(meter -> starts.remove(meter.getId()));
  }

  /**
   * A builder for a registry configured by {@code config}.
   *
   * @param config the configuration; see {@link TributaryConfig}
   */
  public static Builder builder(TributaryConfig config) {
    return new Builder(config);
  }

  /** The configuration this registry was built with. */
  public TributaryConfig tributaryConfig() {
    return config;
  }

  /** The client this registry publishes through: the shared one, or the one it created. */
  public Tributary client() {
    return client;
  }

  // --- meters --------------------------------------------------------------------------------

  @Override
  protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
    started(id);
    return new DefaultGauge<>(id, obj, valueFunction);
  }

  @Override
  protected Counter newCounter(Meter.Id id) {
    started(id);
    return new CumulativeCounter(id);
  }

  @Override
  protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig distributionStatisticConfig) {
    started(id);
    return new DefaultLongTaskTimer(id, clock, getBaseTimeUnit(), distributionStatisticConfig, false);
  }

  @Override
  protected Timer newTimer(Meter.Id id, DistributionStatisticConfig distributionStatisticConfig,
      PauseDetector pauseDetector) {
    started(id);
    return new TributaryTimer(id, clock, distributionStatisticConfig, pauseDetector, getBaseTimeUnit());
  }

  @Override
  protected DistributionSummary newDistributionSummary(Meter.Id id,
      DistributionStatisticConfig distributionStatisticConfig, double scale) {
    started(id);
    return new TributaryDistributionSummary(id, clock, distributionStatisticConfig, scale);
  }

  @Override
  protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
    started(id);
    return new DefaultMeter(id, type, measurements);
  }

  @Override
  protected <T> FunctionTimer newFunctionTimer(Meter.Id id, T obj, ToLongFunction<T> countFunction,
      ToDoubleFunction<T> totalTimeFunction, TimeUnit totalTimeFunctionUnit) {
    started(id);
    return new CumulativeFunctionTimer<>(id, obj, countFunction, totalTimeFunction, totalTimeFunctionUnit,
        getBaseTimeUnit());
  }

  @Override
  protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
    started(id);
    return new CumulativeFunctionCounter<>(id, obj, countFunction);
  }

  /** Seconds: Prometheus' base unit of time. */
  @Override
  protected TimeUnit getBaseTimeUnit() {
    return TimeUnit.SECONDS;
  }

  /** Micrometer's defaults, with time-windowed statistics over {@link TributaryConfig#step()}. */
  @Override
  protected DistributionStatisticConfig defaultHistogramConfig() {
    return DistributionStatisticConfig.builder()
        .expiry(config.step())
        .build()
        .merge(DistributionStatisticConfig.DEFAULT);
  }

  /** A series starts counting when its meter is created (a re-created meter starts again). */
  private void started(Meter.Id id) {
    starts.put(id, clock.wallTime());
  }

  // --- lifecycle -----------------------------------------------------------------------------

  /**
   * Publishes the final values of every meter exactly once, closes the client if this registry
   * created it, and closes the meters. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      Registration r = registration;
      if (r != null) {
        r.close(); // collects one last time and publishes; later steps no longer see this registry
      }
    } finally {
      try {
        if (ownsClient) {
          client.close();
        }
      } finally {
        super.close();
      }
    }
  }

  @Override
  public String toString() {
    return "TributaryMeterRegistry{" + client + (ownsClient ? "" : ", shared client") + "}";
  }

  /** Builds a {@link TributaryMeterRegistry}; see {@link TributaryMeterRegistry#builder}. */
  public static final class Builder {
    private final TributaryConfig config;
    private Tributary client;
    private Clock clock = Clock.SYSTEM;

    private Builder(TributaryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Publishes through {@code client} (sharing its producer, buffers and heartbeats) instead of
     * creating a client from the configuration; overrides {@link TributaryConfig#client()}. The
     * registry never closes it.
     */
    public Builder client(Tributary client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The clock of the meters and of the series' start times; default {@link Clock#SYSTEM}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Validates the configuration, creates the client if none is shared (it connects in the
     * background: Kafka need not be up), and registers the registry with it.
     *
     * @throws io.micrometer.core.instrument.config.validate.ValidationException naming every
     *     invalid property
     * @throws IllegalArgumentException if the client rejects the configuration
     */
    public TributaryMeterRegistry build() {
      Tributary shared = client != null ? client : config.client();
      TributaryConfig effective = shared == null ? config : new SharedClientConfig(config, shared);
      effective.requireValid();
      Tributary target = shared != null ? shared : createClient();
      TributaryMeterRegistry registry = new TributaryMeterRegistry(config, clock, target, shared == null);
      registry.registration = target.registerCollector(
          new MeterSamples(registry, clock, config.descriptions(), registry.starts));
      return registry;
    }

    private Tributary createClient() {
      // The environment first (TRIBUTARY_* variables, tributary.* system properties, as the SDK and
      // the appender read it), so TRIBUTARY_KAFKA_* security settings apply; the config wins.
      var builder = Tributary.builder().fromEnvironment()
          .bootstrapServers(config.bootstrapServers())
          .serviceName(config.serviceName())
          .metricsTopic(config.topic())
          .metricsStep(config.step())
          .closeTimeout(config.closeTimeout())
          .clock(new WallClock(clock));
      if (config.instanceId() != null) {
        builder.instanceId(config.instanceId());
      }
      config.kafkaProperties().forEach(builder::producerProperty);
      return builder.build();
    }
  }

  /** {@code config} with a client supplied by the builder, for validation. */
  private record SharedClientConfig(TributaryConfig config, Tributary shared) implements TributaryConfig {
    @Override
    public String prefix() {
      return config.prefix();
    }

    @Override
    public String get(String key) {
      return config.get(key);
    }

    @Override
    public Tributary client() {
      return shared;
    }
  }

  /** Micrometer's wall time as a {@link java.time.Clock}, so that envelopes and series starts agree. */
  private static final class WallClock extends java.time.Clock {
    private final Clock clock;

    WallClock(Clock clock) {
      this.clock = clock;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return clock.wallTime();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(clock.wallTime());
    }
  }

  /** A cumulative timer whose histogram buckets never roll over; see {@link CumulativeBucketHistogram}. */
  private static final class TributaryTimer extends CumulativeTimer {
    TributaryTimer(Meter.Id id, Clock clock, DistributionStatisticConfig config, PauseDetector pauseDetector,
        TimeUnit baseTimeUnit) {
      super(id, clock, config, pauseDetector, baseTimeUnit, CumulativeBucketHistogram.create(clock, config, true));
    }
  }

  /** A cumulative distribution summary whose histogram buckets never roll over. */
  private static final class TributaryDistributionSummary extends CumulativeDistributionSummary {
    TributaryDistributionSummary(Meter.Id id, Clock clock, DistributionStatisticConfig config, double scale) {
      super(id, clock, config, scale, CumulativeBucketHistogram.create(clock, config, true));
    }
  }
}
