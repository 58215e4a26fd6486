package dev.tributary.internal;

import dev.tributary.wire.Envelope;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.EnvelopeType;

/**
 * A record waiting in a stream's buffer. It holds what the caller's thread captured (timestamp,
 * sequence number, context); turning it into an envelope and bytes happens on the I/O thread, or,
 * for logs, on the caller's thread before the record enters the buffer ({@link CallerEncoders}).
 */
abstract class Outbound {
  final long seq;
  final long timestamp;
  private final String topic;
  private final String key;
  /**
   * The value's bytes if the record was encoded before it entered the buffer, else null. Written
   * before the buffer's {@code offer}, read after its {@code poll}: the queue's lock publishes it.
   */
  private byte[] encoded;
  private EnvelopeType encodedType;

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

  /** Builds the envelope (on the I/O thread, or a caller's when encoded ahead). */
  abstract Envelope envelope(Pipeline pipeline);

  /** Encodes the envelope now; false if that failed (the I/O thread will try and count it). */
  final boolean preEncode(EnvelopeCodec.Encoder encoder, Pipeline pipeline) {
    try {
      Envelope envelope = envelope(pipeline);
      byte[] value = encoder.encode(envelope);
      encodedType = envelope.type();
      encoded = value;
      encodedAhead();
      return true;
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      return false;
    }
  }

  /** Called once the bytes exist: lets go of what only the encoding needed. */
  void encodedAhead() {}

  /** The bytes encoded ahead, or null. */
  final byte[] encoded() {
    return encoded;
  }

  /** The type of the envelope encoded ahead, or null. */
  final EnvelopeType encodedType() {
    return encodedType;
  }

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
