package dev.tributary.internal;

import dev.tributary.wire.LogEnvelope;
import dev.tributary.wire.Source;

/** What the I/O thread needs to turn buffered records into envelopes: the sender and the size limits. */
final class Pipeline {
  private static final String LOGS_STREAM = "logs";
  private final Source source;
  private final int maxMessageChars;
  private final int maxStackTraceChars;
  private final Channel logs;

  Pipeline(Source source, int maxMessageChars, int maxStackTraceChars, Channel logs) {
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

  /** The message, shortened to the limit with a marker saying how much was cut (counted). */
  String truncateMessage(String message) {
    if (message.length() <= maxMessageChars) {
      return message;
    }
    logs.truncated.increment();
    return StackTraces.cut(message, maxMessageChars);
  }

  LogEnvelope.ErrorInfo errorInfo(Throwable error) {
    String rendered = StackTraces.render(error);
    String stack = rendered;
    if (rendered.length() > maxStackTraceChars) {
      logs.truncated.increment();
      stack = StackTraces.cut(rendered, maxStackTraceChars);
    }
    String message = StackTraces.message(error);
    if (message != null && message.length() > maxMessageChars) {
      message = StackTraces.cut(message, maxMessageChars);
    }
    return new LogEnvelope.ErrorInfo(error.getClass().getName(), message, stack);
  }
}
