package dev.tributary;

import java.util.function.DoubleSupplier;

/** A value that goes up and down, published every step as its current value. */
public interface Gauge {

  /** The series for these label values; see {@link Counter#labels(String...)}. */
  Series labels(String... labelValues);

  /** Sets the series without labels. */
  default void set(double value) {
    labels().set(value);
  }

  /** One labelled series of a gauge. */
  interface Series {
    /** Sets the value ({@code NaN} is allowed and published as such). */
    void set(double value);

    /** Adds {@code delta} (may be negative). */
    void add(double delta);
  }

  /** Describes a gauge. */
  interface Builder {
    Builder help(String help);

    Builder unit(String unit);

    Builder labelNames(String... labelNames);

    Gauge build();

    /**
     * Registers a gauge without labels whose value is sampled from {@code value} every step on the
     * client's scheduler thread. The supplier must be quick; if it throws, the step skips the gauge.
     */
    Registration buildWithCallback(DoubleSupplier value);
  }
}
