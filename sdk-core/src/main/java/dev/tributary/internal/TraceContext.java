package dev.tributary.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** The current OpenTelemetry span's ids, captured on the caller's thread. */
record TraceContext(String traceId, String spanId, String flagsHex) {

  /** The current span's context, or null when there is no valid span (no OpenTelemetry SDK, no span). */
  static TraceContext current() {
    SpanContext ctx = Span.current().getSpanContext();
    if (!ctx.isValid()) {
      return null;
    }
    return new TraceContext(ctx.getTraceId(), ctx.getSpanId(), ctx.getTraceFlags().asHex());
  }

  /** A W3C {@code traceparent} header value: {@code 00-<trace>-<span>-<flags>}. */
  static String traceparent(String traceId, String spanId, String flagsHex) {
    if (traceId == null || spanId == null) {
      return null;
    }
    return "00-" + traceId + '-' + spanId + '-' + (flagsHex == null ? "01" : flagsHex);
  }
}
