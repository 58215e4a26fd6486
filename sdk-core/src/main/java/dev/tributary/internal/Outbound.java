package dev.tributary.internal;

import dev.tributary.wire.Envelope;

/**
 * A record waiting in a stream's buffer. It holds what the caller's thread captured (timestamp,
 * sequence number, context); turning it into an envelope and bytes happens on the I/O thread.
 */
abstract class Outbound {
  final long seq;
  final long timestamp;
  private final String topic;
  private final String key;

  Outbound(long seq, long timestamp, String topic, String key) {
    this.seq = seq;
    this.timestamp = timestamp;
    this.topic = topic;
    this.key = key;
  }

  /** The destination topic. */
  final String topic() {
    return topic;
  }

  /** The Kafka key, or null. */
  final String key() {
    return key;
  }

  /** Builds the envelope (on the I/O thread). */
  abstract Envelope envelope(Pipeline pipeline);

  /** The correlation id for the Kafka header, or null. */
  String correlationId() {
    return null;
  }

  /** The W3C traceparent for the Kafka header, or null. */
  String traceparent() {
    return null;
  }

  /** An envelope built ahead of time (metrics and heartbeats, built on the scheduler thread). */
  static final class Prebuilt extends Outbound {
    private final Envelope envelope;

    Prebuilt(Envelope envelope, String topic, String key) {
      super(envelope.seq(), envelope.timestamp(), topic, key);
      this.envelope = envelope;
    }

    @Override
    Envelope envelope(Pipeline pipeline) {
      return envelope;
    }
  }
}
