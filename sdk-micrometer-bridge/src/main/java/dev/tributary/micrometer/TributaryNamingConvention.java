package dev.tributary.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;

/**
 * Prometheus-style names for Micrometer meters: dots become underscores, base units are appended
 * ({@code jvm.memory.used} in bytes becomes {@code jvm_memory_used_bytes}), timers are in seconds
 * ({@code http.server.requests} becomes {@code http_server_requests_seconds}) and counters end in
 * {@code _total}. The result is a valid Prometheus metric name, and tag keys become valid label
 * names.
 *
 * <p>The names are the ones {@code micrometer-registry-prometheus} exposes, on purpose: a service
 * that moves from scraping to Tributary keeps its dashboards and alert rules. That is also why a
 * camelCase segment is kept as it is ({@code myCounter} stays {@code myCounter_total}) rather than
 * split into words. The {@code _count}, {@code _sum}, {@code _max}, {@code _bucket} series of
 * timers and summaries are derived from these names by the registry and the sidecar.
 *
 * <table>
 *   <caption>Names by meter type</caption>
 *   <tr><th>meter</th><th>name, base unit</th><th>series name</th></tr>
 *   <tr><td>counter</td><td>{@code jobs.completed}</td><td>{@code jobs_completed_total}</td></tr>
 *   <tr><td>counter</td><td>{@code io.read}, bytes</td><td>{@code io_read_bytes_total}</td></tr>
 *   <tr><td>gauge</td><td>{@code jvm.memory.used}, bytes</td><td>{@code jvm_memory_used_bytes}</td></tr>
 *   <tr><td>timer</td><td>{@code http.server.requests}</td><td>{@code http_server_requests_seconds}</td></tr>
 *   <tr><td>distribution summary</td><td>{@code payload.size}, bytes</td><td>{@code payload_size_bytes}</td></tr>
 * </table>
 */
public final class TributaryNamingConvention implements NamingConvention {
  private static final String TIMER_SUFFIX = "_seconds";
  private static final String COUNTER_SUFFIX = "_total";

  /** Creates the convention. */
  public TributaryNamingConvention() {}

  @Override
  public String name(String name, Meter.Type type, String baseUnit) {
    String unit = baseUnit == null || baseUnit.isBlank() ? null : sanitize(NamingConvention.snakeCase.name(baseUnit, type), true);
    String converted = NamingConvention.snakeCase.name(name, type, baseUnit);
    switch (type) {
      case COUNTER, DISTRIBUTION_SUMMARY, GAUGE -> {
        if (unit != null && !converted.endsWith("_" + unit)) {
          converted = converted + "_" + unit;
        }
      }
      default -> {
      }
    }
    switch (type) {
      case COUNTER -> {
        if (!converted.endsWith(COUNTER_SUFFIX)) {
          converted = converted + COUNTER_SUFFIX;
        }
      }
      case TIMER, LONG_TASK_TIMER -> {
        if (!converted.endsWith(TIMER_SUFFIX)) {
          converted = converted + TIMER_SUFFIX;
        }
      }
      default -> {
      }
    }
    return sanitize(converted, true);
  }

  @Override
  public String tagKey(String key) {
    String label = sanitize(NamingConvention.snakeCase.tagKey(key), false);
    // Label names starting with "__" are reserved for Prometheus' internal use.
    while (label.startsWith("__")) {
      label = label.substring(1);
    }
    return label;
  }

  /**
   * Replaces every character a Prometheus metric name (colons allowed) or label name (no colons)
   * cannot hold with '_', and prefixes {@code m_} when the name does not start with a letter,
   * '_' or (metric names only) ':'.
   */
  private static String sanitize(String name, boolean metricName) {
    if (name == null || name.isEmpty()) {
      return "m_";
    }
    StringBuilder sb = new StringBuilder(name.length() + 2);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
          || (metricName && c == ':');
      sb.append(valid ? c : '_');
    }
    char first = sb.charAt(0);
    if (first >= '0' && first <= '9') {
      sb.insert(0, "m_");
    }
    return sb.toString();
  }
}
