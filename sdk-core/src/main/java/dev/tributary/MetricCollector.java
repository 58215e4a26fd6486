package dev.tributary;

import java.util.function.Consumer;

/**
 * A source of pre-aggregated, cumulative metric samples, collected every step on the client's
 * scheduler thread (see {@link Tributary#registerCollector}). Bridges such as the Micrometer
 * registry implement it. Must be quick and must not block; an exception skips that collection and
 * is logged.
 */
@FunctionalInterface
public interface MetricCollector {
  /** Emits the current cumulative samples of every series this collector owns. */
  void collect(Consumer<MetricSample> out);
}
