package dev.tributary.wire;

/**
 * What identifies and routes an envelope, without its content: for consumers that pass a record on
 * as it is (the Elasticsearch sidecar indexes the record value unchanged) and need only to know
 * where it goes and who sent it. See {@link EnvelopeCodec.Decoder#header(byte[])}.
 *
 * @param type the envelope's type
 * @param timestamp {@code @timestamp}, epoch milliseconds
 * @param service {@code service.name}
 * @param instance {@code service.node.name}
 * @param run {@code tributary.run}
 * @param stream {@code tributary.stream}
 * @param seq {@code tributary.seq}
 * @param domain {@code event.domain} of an event envelope; {@code null} for the other types
 */
public record EnvelopeHeader(EnvelopeType type, long timestamp, String service, String instance, String run,
    String stream, long seq, String domain) {

  /** The header of a decoded envelope. */
  public static EnvelopeHeader of(Envelope envelope) {
    Source source = envelope.source();
    return new EnvelopeHeader(envelope.type(), envelope.timestamp(), source.service(), source.instance(),
        source.runId(), envelope.stream(), envelope.seq(), envelope instanceof EventEnvelope e ? e.domain() : null);
  }

  /** The record's identity, {@code instance:run:stream:seq}, as {@link Envelope#identity()}. */
  public String identity() {
    return identity(instance, run, stream, seq);
  }

  static String identity(String instance, String run, String stream, long seq) {
    return instance + ':' + run + ':' + stream + ':' + seq;
  }
}
