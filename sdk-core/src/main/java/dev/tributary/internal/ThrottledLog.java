package dev.tributary.internal;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs a warning at most once per interval per key, so that a broker outage produces a few lines
 * in the application's log rather than one per record.
 */
final class ThrottledLog {
  private final Logger log;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

  ThrottledLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  void warn(String key, String message, Object... args) {
    if (permit(key)) {
      log.warn(message, args);
    }
  }

  void error(String key, String message, Object... args) {
    if (permit(key)) {
      log.error(message, args);
    }
  }

  private boolean permit(String key) {
    long now = System.nanoTime();
    Long previous = last.get(key);
    if (previous != null && now - previous < intervalNanos) {
      return false;
    }
    return previous == null ? last.putIfAbsent(key, now) == null : last.replace(key, previous, now);
  }
}
