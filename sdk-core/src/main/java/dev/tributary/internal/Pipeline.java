package dev.tributary.internal;

import dev.tributary.redaction.Redaction;
import dev.tributary.wire.LogEnvelope;
import java.util.Map;
import dev.tributary.wire.Source;

/**
 * What the I/O thread needs to turn buffered records into envelopes: the sender, the size limits and
 * the redaction rules (applied here, on the I/O thread, never on the caller's).
 */
final class Pipeline {
  private static final String LOGS_STREAM = "logs";
  private final Source source;
  private final int maxMessageChars;
  private final int maxStackTraceChars;
  private final Channel logs;
  /** Null when there is no rule: then redaction costs a null check. */
  private final Redaction redaction;
  /** {@link #labels}' last argument and result (the I/O thread's only). */
  private Map<String, String> lastLabels;
  private Map<String, String> lastRedactedLabels;

  Pipeline(Source source, int maxMessageChars, int maxStackTraceChars, Channel logs) {
    this(source, maxMessageChars, maxStackTraceChars, logs, Redaction.none());
  }

  Pipeline(Source source, int maxMessageChars, int maxStackTraceChars, Channel logs, Redaction redaction) {
    this.redaction = redaction == null || redaction.isEmpty() ? null : redaction;
    this.source = source;
    this.maxMessageChars = maxMessageChars;
    this.maxStackTraceChars = maxStackTraceChars;
    this.logs = logs;
  }

  Source source() {
    return source;
  }

  String logsStream() {
    return LOGS_STREAM;
  }

  /** The message, redacted, shortened to the limit with a marker saying how much was cut (counted). */
  String truncateMessage(String message) {
    if (redaction != null) {
      message = redaction.text(message);
    }
    if (message.length() <= maxMessageChars) {
      return message;
    }
    logs.truncated.increment();
    return StackTraces.cut(message, maxMessageChars);
  }

  /**
   * Labels (the appender's MDC), redacted. The last map and its result are kept: records that
   * share one map ({@code LogEntry.Builder.sharedLabels}, unmodifiable) are redacted once, and
   * share the result, so that the writer can reuse its bytes too.
   */
  Map<String, String> labels(Map<String, String> labels) {
    if (redaction == null || labels.isEmpty()) {
      return labels;
    }
    if (labels != lastLabels) {
      lastRedactedLabels = redaction.labels(labels);
      lastLabels = labels;
    }
    return lastRedactedLabels;
  }

  /** Log fields or event attributes, redacted. */
  Map<String, Object> fields(Map<String, Object> fields) {
    return redaction == null ? fields : redaction.fields(fields);
  }

  LogEnvelope.ErrorInfo errorInfo(Throwable error) {
    String rendered = StackTraces.render(error);
    if (redaction != null) {
      rendered = redaction.text(rendered);
    }
    String stack = rendered;
    if (rendered.length() > maxStackTraceChars) {
      logs.truncated.increment();
      stack = StackTraces.cut(rendered, maxStackTraceChars);
    }
    String message = StackTraces.message(error);
    if (redaction != null) {
      message = redaction.text(message);
    }
    if (message != null && message.length() > maxMessageChars) {
      message = StackTraces.cut(message, maxMessageChars);
    }
    return new LogEnvelope.ErrorInfo(error.getClass().getName(), message, stack);
  }
}
