package dev.tributary.wire;

import java.util.Map;
import java.util.Objects;

/**
 * A business event, published to {@code <domain>.events} and keyed by its entity id.
 *
 * @param timestamp {@code @timestamp}, epoch milliseconds
 * @param source sender
 * @param stream sequence scope (the event topic, e.g. {@code payment.events})
 * @param seq per-run, per-stream sequence number
 * @param domain {@code event.domain}, e.g. {@code payment}
 * @param name {@code event.name}, e.g. {@code payment.completed}
 * @param entityId {@code event.entity_id}, the Kafka key; or {@code null}
 * @param attributes {@code attributes}: key/values of JSON types; never {@code null}
 * @param correlationId {@code correlation.id}, or {@code null}
 * @param traceId {@code trace.id}, or {@code null}
 * @param spanId {@code span.id}, or {@code null}
 */
public record EventEnvelope(
    long timestamp,
    Source source,
    String stream,
    long seq,
    String domain,
    String name,
    String entityId,
    Map<String, Object> attributes,
    String correlationId,
    String traceId,
    String spanId)
    implements Envelope {

  public EventEnvelope {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(name, "name");
    attributes = attributes == null ? Map.of() : attributes;
  }

  @Override
  public EnvelopeType type() {
    return EnvelopeType.EVENT;
  }
}
