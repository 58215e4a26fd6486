package dev.tributary.logback;

import dev.tributary.MetricCollector;
import dev.tributary.MetricSample;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What the appender did with the events Logback gave it. Every event that passed the appender's
 * filters is counted exactly once as shipped, dropped, excluded or recursive; {@code fallback}
 * counts, in addition, the events handed to the fallback appenders.
 *
 * <p>Published with the client's metrics as {@code tributary_logback_events_total{appender,outcome}}
 * and {@code tributary_logback_fallback_total{appender}}.
 */
final class AppenderCounters implements MetricCollector {
  static final String EVENTS = "tributary_logback_events_total";
  static final String FALLBACK = "tributary_logback_fallback_total";

  final LongAdder shipped = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder excluded = new LongAdder();
  final LongAdder recursive = new LongAdder();
  final LongAdder fallback = new LongAdder();
  private final long start = System.currentTimeMillis();
  private volatile String appender = "tributary";

  void appenderName(String name) {
    this.appender = name == null ? "tributary" : name;
  }

  @Override
  public void collect(Consumer<MetricSample> out) {
    String name = appender;
    events(out, name, "shipped", shipped);
    events(out, name, "dropped", dropped);
    events(out, name, "excluded", excluded);
    events(out, name, "recursive", recursive);
    out.accept(MetricSample.counter(FALLBACK, "Log events handed to the appender's fallback appenders", null, start,
        Map.of("appender", name), fallback.sum()));
  }

  private void events(Consumer<MetricSample> out, String name, String outcome, LongAdder n) {
    out.accept(MetricSample.counter(EVENTS, "Log events by what the Tributary appender did with them", null, start,
        Map.of("appender", name, "outcome", outcome), n.sum()));
  }

  @Override
  public String toString() {
    return "shipped " + shipped.sum() + ", dropped " + dropped.sum() + ", excluded " + excluded.sum() + ", recursive "
        + recursive.sum() + ", to fallback " + fallback.sum();
  }
}
