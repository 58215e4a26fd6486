package dev.tributary.wire;

/** Kafka record headers that travel with every envelope (all values UTF-8). */
public final class WireHeaders {
  /** {@value}: the media type of the record value. */
  public static final String CONTENT_TYPE = "content-type";
  /** The value of {@link #CONTENT_TYPE} for wire format v1. */
  public static final String CONTENT_TYPE_V1 = "application/vnd.tributary.v1+json";
  /** {@value}: the schema version, e.g. {@code 1.0}; readers route unknown majors to a DLQ. */
  public static final String SCHEMA = "tributary-schema";
  /** {@value}: the envelope type ({@code metric}, {@code log}, {@code event}, {@code health}). */
  public static final String TYPE = "tributary-type";
  /** {@value}: the correlation id, when the record was produced inside a correlation scope. */
  public static final String CORRELATION_ID = "correlation-id";
  /** {@value}: the W3C trace context of the producing span, when there is one. */
  public static final String TRACEPARENT = "traceparent";

  /** Dead-letter headers, written by the sidecars on records they could not process. */
  public static final String DLQ_REASON = "tributary-dlq-reason";
  /** The human-readable error on a dead-lettered record. */
  public static final String DLQ_ERROR = "tributary-dlq-error";
  /** The topic, partition and offset the dead-lettered record came from ({@code topic-partition@offset}). */
  public static final String DLQ_ORIGIN = "tributary-dlq-origin";

  private WireHeaders() {}
}
