package dev.tributary.wire;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A log record, with Elastic Common Schema field names on the wire.
 *
 * @param timestamp {@code @timestamp}, epoch milliseconds
 * @param source sender
 * @param stream sequence scope (normally {@code logs})
 * @param seq per-run, per-stream sequence number
 * @param level {@code log.level}, e.g. {@code INFO}
 * @param logger {@code log.logger}, or {@code null}
 * @param thread {@code process.thread.name}, or {@code null}
 * @param message {@code message}
 * @param labels {@code labels}: string key/values (MDC, static labels); never {@code null}
 * @param fields {@code fields}: structured key/values of JSON types (SLF4J key-value pairs, API fields); never {@code null}
 * @param tags {@code tags} (markers); never {@code null}
 * @param error {@code error.*}, or {@code null}
 * @param origin {@code log.origin.*} (caller data), or {@code null}
 * @param correlationId {@code correlation.id}, or {@code null}
 * @param traceId {@code trace.id} (W3C, 32 hex), or {@code null}
 * @param spanId {@code span.id} (W3C, 16 hex), or {@code null}
 */
public record LogEnvelope(
    long timestamp,
    Source source,
    String stream,
    long seq,
    String level,
    String logger,
    String thread,
    String message,
    Map<String, String> labels,
    Map<String, Object> fields,
    List<String> tags,
    ErrorInfo error,
    LogOrigin origin,
    String correlationId,
    String traceId,
    String spanId)
    implements Envelope {

  public LogEnvelope {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
    labels = labels == null ? Map.of() : labels;
    fields = fields == null ? Map.of() : fields;
    tags = tags == null ? List.of() : tags;
  }

  @Override
  public EnvelopeType type() {
    return EnvelopeType.LOG;
  }

  /**
   * An exception ({@code error.type}, {@code error.message}, {@code error.stack_trace}).
   *
   * @param type the exception class name
   * @param message the exception message, or {@code null}
   * @param stackTrace the rendered stack trace including the cause chain, or {@code null}
   */
  public record ErrorInfo(String type, String message, String stackTrace) {
    public ErrorInfo {
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * Where the log call was made ({@code log.origin.file.name}, {@code log.origin.file.line},
   * {@code log.origin.function}).
   */
  public record LogOrigin(String fileName, int line, String function) {}
}
