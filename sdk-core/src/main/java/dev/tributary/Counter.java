package dev.tributary;

/**
 * A monotonically increasing value, published every step as its cumulative total since the series
 * started. Increments that are negative, NaN or infinite are rejected and counted, never thrown.
 */
public interface Counter {

  /**
   * The series for these label values, in the order of the label names. Hold the result on hot
   * paths: an increment on a held series costs about as much as a {@code LongAdder} increment.
   * A wrong number of values, or a series beyond the configured limits, returns a series that
   * discards increments (counted in {@link TributaryStats}).
   */
  Series labels(String... labelValues);

  /** Increments the series without labels by one. */
  default void increment() {
    labels().increment();
  }

  /** Increments the series without labels. */
  default void increment(double amount) {
    labels().increment(amount);
  }

  /** One labelled series of a counter. */
  interface Series {
    /** Adds one. */
    void increment();

    /** Adds {@code amount}, which must be finite and not negative. */
    void increment(double amount);
  }

  /** Describes a counter; {@link #build()} registers it (or returns the existing one). */
  interface Builder {
    Builder help(String help);

    /** The base unit, e.g. {@code seconds}, {@code bytes}. */
    Builder unit(String unit);

    Builder labelNames(String... labelNames);

    Counter build();
  }
}
