package dev.tributary.internal;

import dev.tributary.wire.Envelope;
import dev.tributary.wire.EventEnvelope;
import java.util.Map;

/** A business event in the buffer. */
final class EventItem extends Outbound {
  private final String domain;
  private final String name;
  private final String entityId;
  private final Map<String, Object> attributes;
  private final String correlationId;
  private final TraceContext trace;

  EventItem(String domain, String name, String entityId, Map<String, Object> attributes, String topic, long seq,
      long timestamp, String correlationId, TraceContext trace) {
    super(seq, timestamp, topic, entityId);
    this.domain = domain;
    this.name = name;
    this.entityId = entityId;
    this.attributes = attributes;
    this.correlationId = correlationId;
    this.trace = trace;
  }

  @Override
  String correlationId() {
    return correlationId;
  }

  @Override
  String traceparent() {
    return trace == null ? null : TraceContext.traceparent(trace.traceId(), trace.spanId(), trace.flagsHex());
  }

  @Override
  Envelope envelope(Pipeline p) {
    return new EventEnvelope(timestamp, p.source(), topic(), seq, domain, name, entityId, p.fields(attributes), correlationId,
        trace == null ? null : trace.traceId(), trace == null ? null : trace.spanId());
  }
}
