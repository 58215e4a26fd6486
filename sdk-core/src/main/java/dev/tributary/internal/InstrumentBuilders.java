package dev.tributary.internal;

import dev.tributary.Counter;
import dev.tributary.Gauge;
import dev.tributary.Histogram;
import dev.tributary.Registration;
import dev.tributary.wire.MetricEnvelope.MetricKind;
import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builders that register instruments in a {@link MetricRegistry}; invalid descriptions give discarding instruments. */
final class InstrumentBuilders {
  private static final Logger LOG = LoggerFactory.getLogger(InstrumentBuilders.class);
  private static final double[] DEFAULT_BOUNDS = Histogram.DEFAULT_BUCKETS.stream().mapToDouble(Double::doubleValue).toArray();

  private InstrumentBuilders() {}

  private abstract static class Base<B> {
    final MetricRegistry registry;
    final String name;
    String help;
    String unit;
    String[] labelNames = new String[0];

    Base(MetricRegistry registry, String name) {
      this.registry = registry;
      this.name = name;
    }

    abstract B self();

    public B help(String help) {
      this.help = help;
      return self();
    }

    public B unit(String unit) {
      this.unit = unit;
      return self();
    }

    public B labelNames(String... labelNames) {
      this.labelNames = labelNames == null ? new String[0] : labelNames.clone();
      return self();
    }
  }

  static final class CounterBuilder extends Base<Counter.Builder> implements Counter.Builder {
    CounterBuilder(MetricRegistry registry, String name) {
      super(registry, name);
    }

    @Override
    Counter.Builder self() {
      return this;
    }

    @Override
    public Counter build() {
      Instruments.CounterImpl c = registry.register(Instruments.CounterImpl.class, name, MetricKind.COUNTER, labelNames,
          d -> new Instruments.CounterImpl(d, registry), help, unit);
      return c == null ? Instruments.NOOP_COUNTER : c;
    }
  }

  static final class GaugeBuilder extends Base<Gauge.Builder> implements Gauge.Builder {
    GaugeBuilder(MetricRegistry registry, String name) {
      super(registry, name);
    }

    @Override
    Gauge.Builder self() {
      return this;
    }

    @Override
    public Gauge build() {
      Instruments.GaugeImpl g = registry.register(Instruments.GaugeImpl.class, name, MetricKind.GAUGE, labelNames,
          d -> new Instruments.GaugeImpl(d, registry), help, unit);
      return g == null ? Instruments.NOOP_GAUGE : g;
    }

    @Override
    public Registration buildWithCallback(DoubleSupplier value) {
      if (value == null) {
        registry.rejectValue();
        return () -> {};
      }
      Instruments.CallbackGauge g = registry.register(Instruments.CallbackGauge.class, name, MetricKind.GAUGE,
          new String[0], d -> new Instruments.CallbackGauge(d, registry), help, unit);
      if (g == null || !g.bind(value)) {
        if (g != null) {
          registry.rejectValue();
          LOG.warn("Tributary: gauge {} already has a callback; ignoring the second one", name);
        }
        return () -> {};
      }
      return g::unbind;
    }
  }

  static final class HistogramBuilder extends Base<Histogram.Builder> implements Histogram.Builder {
    private double[] bounds = DEFAULT_BOUNDS;

    HistogramBuilder(MetricRegistry registry, String name) {
      super(registry, name);
    }

    @Override
    Histogram.Builder self() {
      return this;
    }

    @Override
    public Histogram.Builder buckets(double... upperBounds) {
      this.bounds = upperBounds == null ? null : upperBounds.clone();
      return this;
    }

    @Override
    public Histogram build() {
      if (!validBounds(bounds)) {
        registry.rejectValue();
        LOG.warn("Tributary: histogram {} needs finite, strictly increasing bucket bounds, got {}; it discards observations",
            name, Arrays.toString(bounds));
        return Instruments.NOOP_HISTOGRAM;
      }
      double[] b = bounds;
      Instruments.HistogramImpl h = registry.register(Instruments.HistogramImpl.class, name, MetricKind.HISTOGRAM,
          labelNames, d -> new Instruments.HistogramImpl(d, registry, b), help, unit);
      if (h != null && !Arrays.equals(h.bounds(), b)) {
        registry.rejectValue();
        LOG.warn("Tributary: histogram {} is already registered with buckets {}; using those", name, Arrays.toString(h.bounds()));
      }
      return h == null ? Instruments.NOOP_HISTOGRAM : h;
    }

    private static boolean validBounds(double[] bounds) {
      if (bounds == null || bounds.length == 0) {
        return false;
      }
      for (int i = 0; i < bounds.length; i++) {
        if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
          return false;
        }
      }
      return true;
    }
  }
}
