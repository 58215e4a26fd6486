package dev.tributary.wire;

/**
 * One Tributary record as it travels through Kafka (wire format v1).
 *
 * <p>Every envelope carries its sender ({@link #source()}), its timestamp, and its position in
 * the sender's stream: {@code (source().instance(), source().runId(), stream(), seq())} identifies
 * it end to end, so consumers can count gaps and duplicates and derive idempotent document ids.
 */
public sealed interface Envelope permits MetricEnvelope, LogEnvelope, EventEnvelope, HealthEnvelope {

  /** The envelope's type. */
  EnvelopeType type();

  /** When the envelope's content was observed, in milliseconds since the epoch ({@code @timestamp}). */
  long timestamp();

  /** The sending service, instance and run. */
  Source source();

  /** The sender-side stream this envelope belongs to (the sequence-number scope). */
  String stream();

  /** The per-run, per-stream sequence number, starting at 1. */
  long seq();

  /** A stable id for this record: {@code instance:run:stream:seq}. */
  default String identity() {
    return EnvelopeHeader.identity(source().instance(), source().runId(), stream(), seq());
  }
}
