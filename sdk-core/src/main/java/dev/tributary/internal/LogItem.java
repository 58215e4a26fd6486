package dev.tributary.internal;

import dev.tributary.LogEntry;
import dev.tributary.wire.Envelope;
import dev.tributary.wire.LogEnvelope;

/** A log record in the buffer. */
final class LogItem extends Outbound {
  private final LogEntry entry;
  private final String thread;
  private final String correlationId;
  private final String traceId;
  private final String spanId;
  private final String traceFlags;

  LogItem(LogEntry entry, long seq, long timestamp, String thread, String correlationId, TraceContext trace,
      String topic, String key) {
    super(seq, timestamp, topic, key);
    this.entry = entry;
    this.thread = thread;
    this.correlationId = correlationId;
    this.traceId = entry.traceId() != null ? entry.traceId() : trace == null ? null : trace.traceId();
    this.spanId = entry.traceId() != null ? entry.spanId() : trace == null ? null : trace.spanId();
    this.traceFlags = entry.traceId() != null || trace == null ? null : trace.flagsHex();
  }

  @Override
  String correlationId() {
    return correlationId;
  }

  @Override
  String traceparent() {
    return TraceContext.traceparent(traceId, spanId, traceFlags);
  }

  @Override
  Envelope envelope(Pipeline p) {
    String message = p.truncateMessage(entry.message());
    LogEnvelope.ErrorInfo error = entry.error() == null ? null : p.errorInfo(entry.error());
    LogEnvelope.LogOrigin origin = entry.originFile() == null && entry.originFunction() == null
        ? null
        : new LogEnvelope.LogOrigin(entry.originFile(), entry.originLine(), entry.originFunction());
    return new LogEnvelope(timestamp, p.source(), p.logsStream(), seq, entry.level().name(), entry.logger(), thread,
        message, p.labels(entry.labels()), p.fields(entry.fields()), entry.tags(), error, origin, correlationId, traceId, spanId);
  }
}
