package dev.tributary.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.tributary.LogEntry;
import dev.tributary.LogLevel;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Turns a Logback event into the SDK's {@link LogEntry} (the ECS log envelope), on the logging
 * thread: everything is captured now, so nothing the application mutates later leaks into the
 * record, and the event itself is not retained.
 *
 * <ul>
 *   <li>MDC entries become {@code labels}, except the correlation and trace keys, which become
 *       {@code correlation.id}, {@code trace.id} and {@code span.id}. Labels are a namespace of
 *       their own, so an MDC key can never overwrite a standard field; a dot in a key becomes
 *       {@code _} (ECS labels are flat: {@code a} and {@code a.b} would conflict in Elasticsearch).
 *   <li>SLF4J 2 key-value pairs become {@code fields}: strings, numbers, booleans and {@code null}
 *       as JSON values, enums as their name, anything else as its {@code toString()} taken now.
 *   <li>Markers, with the markers they reference, become {@code tags} (each name once).
 * </ul>
 */
final class LogEntryMapper {
  /** OpenTelemetry's Logback MDC instrumentation also sets this; it belongs to the trace context. */
  static final String TRACE_FLAGS_MDC_KEY = "trace_flags";
  private static final int MAX_MARKER_DEPTH = 8;

  private final String correlationKey;
  private final String traceKey;
  private final String spanKey;
  private final boolean includeCallerData;

  LogEntryMapper(String correlationKey, String traceKey, String spanKey, boolean includeCallerData) {
    this.correlationKey = correlationKey;
    this.traceKey = traceKey;
    this.spanKey = spanKey;
    this.includeCallerData = includeCallerData;
  }

  /**
   * What one thread's last MDC map stood for. Logback's MDC adapter hands every event of a thread
   * the same unmodifiable snapshot until the thread changes its MDC, so the ids and labels are read
   * out of it once per change rather than once per event, and the records share one labels map,
   * which the client then redacts once. Only for such snapshots: a map that could change in place
   * would be read stale. Confined to its thread.
   */
  static final class MdcSnapshot {
    private Map<String, String> source;
    private Map<String, String> labels;
    private String correlationId;
    private String traceId;
    private String spanId;
  }

  /** Maps {@code event}, its MDC read afresh. */
  LogEntry map(ILoggingEvent event) {
    return map(event, null);
  }

  /**
   * Maps {@code event}; {@code lastMdc}, this thread's, stands for the event's MDC map if it is the
   * same map as last time (pass it only if MDC maps are snapshots, see {@link MdcSnapshot}).
   */
  LogEntry map(ILoggingEvent event, MdcSnapshot lastMdc) {
    LogEntry.Builder b = LogEntry.builder(level(event.getLevel()), event.getFormattedMessage())
        .timestamp(event.getTimeStamp())
        .logger(event.getLoggerName())
        .thread(event.getThreadName());
    mdc(b, event.getMDCPropertyMap(), lastMdc);
    keyValues(b, event.getKeyValuePairs());
    markers(b, event.getMarkerList());
    Throwable error = ProxiedThrowable.of(event.getThrowableProxy());
    if (error != null) {
      b.error(error);
    }
    if (includeCallerData) {
      StackTraceElement[] callerData = event.getCallerData();
      if (callerData != null && callerData.length > 0 && callerData[0] != null) {
        StackTraceElement caller = callerData[0];
        b.origin(caller.getFileName(), caller.getLineNumber(), caller.getMethodName());
      }
    }
    return b.build();
  }

  static LogLevel level(Level level) {
    if (level == null) {
      return LogLevel.INFO;
    }
    int value = level.toInt();
    if (value >= Level.ERROR_INT) {
      return LogLevel.ERROR;
    } else if (value >= Level.WARN_INT) {
      return LogLevel.WARN;
    } else if (value >= Level.INFO_INT) {
      return LogLevel.INFO;
    } else if (value >= Level.DEBUG_INT) {
      return LogLevel.DEBUG;
    }
    return LogLevel.TRACE;
  }

  private void mdc(LogEntry.Builder b, Map<String, String> mdc, MdcSnapshot last) {
    if (mdc == null || mdc.isEmpty()) {
      return;
    }
    MdcSnapshot parts = last;
    if (last == null || mdc != last.source) {
      parts = last == null ? new MdcSnapshot() : last;
      derive(mdc, parts);
    }
    if (parts.correlationId != null) {
      b.correlationId(parts.correlationId);
    }
    if (parts.traceId != null) {
      b.trace(parts.traceId, parts.spanId);
    }
    if (!parts.labels.isEmpty()) {
      b.sharedLabels(parts.labels);
    }
  }

  /** Reads the ids and labels out of {@code mdc} into {@code into}, which then stands for it. */
  private void derive(Map<String, String> mdc, MdcSnapshot into) {
    into.correlationId = correlationKey == null ? null : mdc.get(correlationKey);
    // A key configured for two roles takes the first: correlation, then trace, then span.
    into.traceId = traceKey == null || traceKey.equals(correlationKey) ? null : mdc.get(traceKey);
    boolean spanShared = spanKey == null || spanKey.equals(correlationKey) || spanKey.equals(traceKey);
    into.spanId = into.traceId == null || spanShared ? null : mdc.get(spanKey);
    Map<String, String> labels = new LinkedHashMap<>();
    // forEach, not entrySet(): Logback's MDC map is an unmodifiable view, whose entry-set iterator
    // wraps every entry in a new object.
    mdc.forEach((key, value) -> {
      if (key != null && value != null && !key.equals(correlationKey) && !key.equals(traceKey) && !key.equals(spanKey)
          && !key.equals(TRACE_FLAGS_MDC_KEY)) {
        labels.put(labelName(key), value);
      }
    });
    into.labels = labels.isEmpty() ? Map.of() : Collections.unmodifiableMap(labels);
    into.source = mdc;
  }

  static String labelName(String key) {
    return key.indexOf('.') < 0 ? key : key.replace('.', '_');
  }

  private static void keyValues(LogEntry.Builder b, List<KeyValuePair> pairs) {
    if (pairs == null) {
      return;
    }
    for (KeyValuePair pair : pairs) {
      if (pair != null && pair.key != null) {
        b.field(pair.key, snapshot(pair.value));
      }
    }
  }

  /** A JSON-typed value, or the value's text taken now (the record is encoded later, on another thread). */
  static Object snapshot(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long || value instanceof Double || value instanceof Float || value instanceof Short
        || value instanceof Byte || value instanceof BigDecimal || value instanceof BigInteger) {
      return value;
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    try {
      return String.valueOf(value);
    } catch (RuntimeException | StackOverflowError e) {
      return "[toString() of " + value.getClass().getName() + " failed: " + e + "]";
    }
  }

  private static void markers(LogEntry.Builder b, List<Marker> markers) {
    if (markers == null || markers.isEmpty()) {
      return;
    }
    if (markers.size() == 1 && markers.get(0) != null && !markers.get(0).hasReferences()) {
      // The usual case, one plain marker: no list of names to de-duplicate.
      b.tag(markers.get(0).getName());
      return;
    }
    List<String> names = new ArrayList<>(markers.size());
    for (Marker m : markers) {
      collect(m, names, 0);
    }
    for (String name : names) {
      b.tag(name);
    }
  }

  private static void collect(Marker marker, List<String> names, int depth) {
    if (marker == null || depth > MAX_MARKER_DEPTH) {
      return;
    }
    String name = marker.getName();
    if (name == null || names.contains(name)) {
      // Seen already: also what stops a marker graph with a cycle.
      return;
    }
    names.add(name);
    if (marker.hasReferences()) {
      for (Iterator<Marker> it = marker.iterator(); it.hasNext(); ) {
        collect(it.next(), names, depth + 1);
      }
    }
  }
}
