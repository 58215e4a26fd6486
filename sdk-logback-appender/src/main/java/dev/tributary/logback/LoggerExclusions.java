package dev.tributary.logback;

import java.util.Arrays;
import java.util.List;

/**
 * Logger hierarchies whose events are never shipped through Kafka. Kafka's clients (and an
 * in-process broker) and the Tributary SDK log from the threads that do the shipping: shipping
 * those events would feed the pipeline with reports about itself, and in the worst case loop.
 */
final class LoggerExclusions {
  /** Always excluded: Kafka clients and broker (whose state-change logger sits outside its packages), and the Tributary SDK itself. */
  static final List<String> DEFAULTS = List.of("org.apache.kafka", "kafka", "state.change.logger", "dev.tributary");

  // Replaced, never mutated: configuration adds while logging threads may already read.
  private volatile String[] prefixes = DEFAULTS.toArray(new String[0]);

  /** Adds a logger hierarchy (a logger name and its descendants). */
  synchronized void add(String loggerName) {
    String trimmed = loggerName == null ? "" : loggerName.trim();
    if (!trimmed.isEmpty() && !Arrays.asList(prefixes).contains(trimmed)) {
      String[] next = Arrays.copyOf(prefixes, prefixes.length + 1);
      next[prefixes.length] = trimmed;
      prefixes = next;
    }
  }

  List<String> prefixes() {
    return List.of(prefixes);
  }

  /** {@code true} if {@code loggerName} is one of the hierarchies or a descendant of one. */
  boolean excludes(String loggerName) {
    if (loggerName == null) {
      return false;
    }
    for (String p : prefixes) {
      if (loggerName.startsWith(p) && (loggerName.length() == p.length() || loggerName.charAt(p.length()) == '.')) {
        return true;
      }
    }
    return false;
  }
}
