package dev.tributary.internal;

import dev.tributary.Counter;
import dev.tributary.Gauge;
import dev.tributary.Histogram;
import dev.tributary.MetricSample;
import dev.tributary.wire.MetricEnvelope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The counter, gauge and histogram implementations, and their discarding stand-ins. */
final class Instruments {
  private static final Logger LOG = LoggerFactory.getLogger(Instruments.class);

  private Instruments() {}

  // --- counter -------------------------------------------------------------------------------

  static final class CounterImpl extends Instrument<CounterImpl.Series> implements Counter {
    CounterImpl(MetricRegistry.Descriptor d, MetricRegistry r) {
      super(d, r);
    }

    @Override
    public Counter.Series labels(String... labelValues) {
      Series s = series(labelValues);
      return s == null ? NOOP_COUNTER_SERIES : s;
    }

    @Override
    Series newSeries(Map<String, String> labels, long start) {
      return new Series(labels, start, registry);
    }

    static final class Series extends Instrument.SeriesState implements Counter.Series {
      private final DoubleAdder total = new DoubleAdder();
      private final MetricRegistry registry;

      Series(Map<String, String> labels, long start, MetricRegistry registry) {
        super(labels, start);
        this.registry = registry;
      }

      @Override
      public void increment() {
        total.add(1.0);
      }

      @Override
      public void increment(double amount) {
        // Also rejects NaN: every comparison with NaN is false.
        if (amount >= 0 && amount != Double.POSITIVE_INFINITY) {
          total.add(amount);
        } else {
          registry.rejectValue();
        }
      }

      @Override
      MetricSample sample(MetricRegistry.Descriptor d) {
        return MetricSample.counter(d.name(), d.help(), d.unit(), start, labels, total.sum());
      }
    }
  }

  // --- gauge ---------------------------------------------------------------------------------

  static final class GaugeImpl extends Instrument<GaugeImpl.Series> implements Gauge {
    GaugeImpl(MetricRegistry.Descriptor d, MetricRegistry r) {
      super(d, r);
    }

    @Override
    public Gauge.Series labels(String... labelValues) {
      Series s = series(labelValues);
      return s == null ? NOOP_GAUGE_SERIES : s;
    }

    @Override
    Series newSeries(Map<String, String> labels, long start) {
      return new Series(labels, start);
    }

    static final class Series extends Instrument.SeriesState implements Gauge.Series {
      private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0.0));

      Series(Map<String, String> labels, long start) {
        super(labels, start);
      }

      @Override
      public void set(double value) {
        bits.set(Double.doubleToRawLongBits(value));
      }

      @Override
      public void add(double delta) {
        long prev;
        long next;
        do {
          prev = bits.get();
          next = Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + delta);
        } while (!bits.compareAndSet(prev, next));
      }

      @Override
      MetricSample sample(MetricRegistry.Descriptor d) {
        return MetricSample.gauge(d.name(), d.help(), d.unit(), start, labels, Double.longBitsToDouble(bits.get()));
      }
    }
  }

  /** A gauge without labels whose value comes from a callback at collection time. */
  static final class CallbackGauge extends Instrument<CallbackGauge.Series> {
    private volatile DoubleSupplier supplier;

    CallbackGauge(MetricRegistry.Descriptor d, MetricRegistry r) {
      super(d, r);
    }

    /** Binds the callback; false if another callback already owns this gauge. */
    synchronized boolean bind(DoubleSupplier value) {
      if (supplier != null) {
        return false;
      }
      supplier = value;
      series(new String[0]);
      return true;
    }

    synchronized void unbind() {
      supplier = null;
    }

    @Override
    Series newSeries(Map<String, String> labels, long start) {
      return new Series(labels, start, this);
    }

    static final class Series extends Instrument.SeriesState {
      private final CallbackGauge owner;

      Series(Map<String, String> labels, long start, CallbackGauge owner) {
        super(labels, start);
        this.owner = owner;
      }

      @Override
      MetricSample sample(MetricRegistry.Descriptor d) {
        DoubleSupplier s = owner.supplier;
        if (s == null) {
          return null;
        }
        try {
          return MetricSample.gauge(d.name(), d.help(), d.unit(), start, labels, s.getAsDouble());
        } catch (RuntimeException e) {
          LOG.warn("Tributary: gauge callback {} failed; skipping it this step", d.name(), e);
          return null;
        }
      }
    }
  }

  // --- histogram -----------------------------------------------------------------------------

  static final class HistogramImpl extends Instrument<HistogramImpl.Series> implements Histogram {
    private final double[] bounds;

    HistogramImpl(MetricRegistry.Descriptor d, MetricRegistry r, double[] bounds) {
      super(d, r);
      this.bounds = bounds;
    }

    double[] bounds() {
      return bounds;
    }

    @Override
    public Histogram.Series labels(String... labelValues) {
      Series s = series(labelValues);
      return s == null ? NOOP_HISTOGRAM_SERIES : s;
    }

    @Override
    Series newSeries(Map<String, String> labels, long start) {
      return new Series(labels, start, bounds, registry);
    }

    static final class Series extends Instrument.SeriesState implements Histogram.Series {
      private final double[] bounds;
      // counts[i] counts observations in (bounds[i-1], bounds[i]]; the last slot is (last bound, +Inf).
      private final LongAdder[] counts;
      private final DoubleAdder sum = new DoubleAdder();
      private final MetricRegistry registry;

      Series(Map<String, String> labels, long start, double[] bounds, MetricRegistry registry) {
        super(labels, start);
        this.bounds = bounds;
        this.registry = registry;
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
          counts[i] = new LongAdder();
        }
      }

      @Override
      public void observe(double value) {
        if (Double.isNaN(value)) {
          registry.rejectValue();
          return;
        }
        int i = Arrays.binarySearch(bounds, value);
        counts[i >= 0 ? i : -i - 1].increment();
        sum.add(value);
      }

      @Override
      MetricSample sample(MetricRegistry.Descriptor d) {
        List<MetricEnvelope.Bucket> buckets = new ArrayList<>(bounds.length);
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
          cumulative += counts[i].sum();
          buckets.add(new MetricEnvelope.Bucket(bounds[i], cumulative));
        }
        cumulative += counts[bounds.length].sum();
        return MetricSample.histogram(d.name(), d.help(), d.unit(), start, labels,
            new MetricEnvelope.Histogram(buckets, cumulative, sum.sum()));
      }
    }
  }

  // --- discarding stand-ins ------------------------------------------------------------------

  static final Counter.Series NOOP_COUNTER_SERIES = new Counter.Series() {
    @Override
    public void increment() {}

    @Override
    public void increment(double amount) {}
  };

  static final Gauge.Series NOOP_GAUGE_SERIES = new Gauge.Series() {
    @Override
    public void set(double value) {}

    @Override
    public void add(double delta) {}
  };

  static final Histogram.Series NOOP_HISTOGRAM_SERIES = value -> {};

  static final Counter NOOP_COUNTER = labelValues -> NOOP_COUNTER_SERIES;
  static final Gauge NOOP_GAUGE = labelValues -> NOOP_GAUGE_SERIES;
  static final Histogram NOOP_HISTOGRAM = labelValues -> NOOP_HISTOGRAM_SERIES;
}
