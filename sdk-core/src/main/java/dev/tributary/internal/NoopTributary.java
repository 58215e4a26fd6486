package dev.tributary.internal;

import dev.tributary.Counter;
import dev.tributary.DeliveryReport;
import dev.tributary.Gauge;
import dev.tributary.HealthCheck;
import dev.tributary.Histogram;
import dev.tributary.LogEntry;
import dev.tributary.MetricCollector;
import dev.tributary.MetricType;
import dev.tributary.Registration;
import dev.tributary.Tributary;
import dev.tributary.TributaryStats;
import java.time.Duration;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** A client that accepts everything and publishes nothing. */
public final class NoopTributary implements Tributary {
  /** The shared instance. */
  public static final NoopTributary INSTANCE = new NoopTributary();

  private static final TributaryStats STATS = new TributaryStats(Map.of(), 0, 0);

  private NoopTributary() {}

  @Override
  public boolean sendLog(LogEntry entry) {
    return true;
  }

  @Override
  public boolean sendEvent(String domain, String name, String entityId, Map<String, ?> attributes) {
    return true;
  }

  @Override
  public Counter.Builder counter(String name) {
    return new Counter.Builder() {
      @Override
      public Counter.Builder help(String help) {
        return this;
      }

      @Override
      public Counter.Builder unit(String unit) {
        return this;
      }

      @Override
      public Counter.Builder labelNames(String... labelNames) {
        return this;
      }

      @Override
      public Counter build() {
        return Instruments.NOOP_COUNTER;
      }
    };
  }

  @Override
  public Gauge.Builder gauge(String name) {
    return new Gauge.Builder() {
      @Override
      public Gauge.Builder help(String help) {
        return this;
      }

      @Override
      public Gauge.Builder unit(String unit) {
        return this;
      }

      @Override
      public Gauge.Builder labelNames(String... labelNames) {
        return this;
      }

      @Override
      public Gauge build() {
        return Instruments.NOOP_GAUGE;
      }

      @Override
      public Registration buildWithCallback(DoubleSupplier value) {
        return () -> {};
      }
    };
  }

  @Override
  public Histogram.Builder histogram(String name) {
    return new Histogram.Builder() {
      @Override
      public Histogram.Builder help(String help) {
        return this;
      }

      @Override
      public Histogram.Builder unit(String unit) {
        return this;
      }

      @Override
      public Histogram.Builder labelNames(String... labelNames) {
        return this;
      }

      @Override
      public Histogram.Builder buckets(double... upperBounds) {
        return this;
      }

      @Override
      public Histogram build() {
        return Instruments.NOOP_HISTOGRAM;
      }
    };
  }

  @Override
  public boolean sendMetric(MetricType type, String name, double value, Map<String, String> labels) {
    return true;
  }

  @Override
  public Registration registerCollector(MetricCollector collector) {
    return () -> {};
  }

  @Override
  public Registration registerHealthCheck(String name, HealthCheck check) {
    return () -> {};
  }

  @Override
  public TributaryStats stats() {
    return STATS;
  }

  @Override
  public DeliveryReport flush(Duration timeout) {
    return DeliveryReport.complete();
  }

  @Override
  public DeliveryReport shutdown(Duration grace) {
    return DeliveryReport.complete();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "Tributary.noop()";
  }
}
