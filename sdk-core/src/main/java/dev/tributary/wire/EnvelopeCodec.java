package dev.tributary.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes and decodes wire format v1 envelopes (one JSON object per Kafka record value).
 *
 * <p>Both directions use Jackson's streaming API: no tree model, no reflection, so the SDK's I/O
 * thread and the sidecars' consume loops stay cheap. The writer emits fields in one fixed order
 * and omits absent ones, so equal envelopes encode to equal bytes; the reader ignores unknown
 * fields (forward compatibility within major version 1) and rejects unknown major versions.
 *
 * <p>Instances are immutable and thread-safe; {@link #create()} returns a shared one.
 */
public final class EnvelopeCodec {
  /** The schema version this codec writes: {@value}. */
  public static final String SCHEMA_VERSION = "1.0";

  /** The schema major version this codec reads. */
  public static final int SCHEMA_MAJOR = 1;

  private static final EnvelopeCodec INSTANCE = new EnvelopeCodec();

  private final JsonFactory json;

  private EnvelopeCodec() {
    this.json = new JsonFactoryBuilder()
        // A record value is at most a few MB (Kafka's max.message.bytes); guard the reader anyway.
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
        // Same values as the JDK's parser (correctly rounded), several times faster: decoding runs per record.
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        // Each envelope is a root value of its own; a reused generator must not separate them.
        .rootValueSeparator((SerializableString) null)
        .build();
  }

  /** The shared codec. */
  public static EnvelopeCodec create() {
    return INSTANCE;
  }

  /** Encodes an envelope to UTF-8 JSON bytes. */
  public byte[] encode(Envelope envelope) {
    Encoder encoder = new Encoder();
    try {
      return encoder.encode(envelope);
    } finally {
      encoder.close();
    }
  }

  /**
   * A reusable encoder for one thread's loop: one buffer and one JSON generator for all records
   * instead of a new pair per record, and caches of what repeats between records (the sender's
   * header, the timestamp of the current millisecond, logger and thread names). Log envelopes are
   * written by {@link LogEnvelopeWriter} from pre-encoded pieces, the other types by Jackson's
   * generator. Not thread-safe.
   */
  public Encoder newEncoder() {
    return new Encoder();
  }

  /** See {@link #newEncoder()}. */
  public final class Encoder {
    private final JsonBuffer out = new JsonBuffer(1024);
    private final HeaderCache headers = new HeaderCache(json);
    private final LogEnvelopeWriter logs = new LogEnvelopeWriter(new HeaderCache(json), this::generator);
    private JsonGenerator gen;

    private Encoder() {}

    /** Encodes an envelope to UTF-8 JSON bytes. */
    public byte[] encode(Envelope envelope) {
      try {
        out.reset();
        if (envelope instanceof LogEnvelope log) {
          logs.write(out, log);
        } else {
          JsonGenerator g = generator();
          EnvelopeWriter.write(g, envelope, headers);
          g.flush();
        }
        return out.toByteArray();
      } catch (IOException e) {
        gen = null;
        throw new UncheckedIOException(e);
      } catch (RuntimeException | Error e) {
        // The generator may be left inside an object: start the next record with a fresh one.
        gen = null;
        throw e;
      }
    }

    /** The generator, writing into this encoder's buffer (flushed by whoever wrote through it). */
    private JsonGenerator generator() {
      if (gen == null) {
        try {
          gen = json.createGenerator(out);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return gen;
    }

    /** Returns the generator's buffers to Jackson's pool (for an encoder used once). */
    private void close() {
      if (gen != null) {
        try {
          gen.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        gen = null;
      }
    }
  }

  /**
   * Decodes one envelope.
   *
   * @throws EnvelopeException with a {@link EnvelopeException.Reason} if the bytes are not a
   *     valid v1 envelope
   */
  public Envelope decode(byte[] value) throws EnvelopeException {
    if (value == null || value.length == 0) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED_JSON, "empty record value");
    }
    return EnvelopeReader.read(json, value, 0, value.length);
  }

  /**
   * Decodes one envelope from a slice of a byte array.
   *
   * @throws EnvelopeException if the bytes are not a valid v1 envelope
   */
  public Envelope decode(byte[] value, int offset, int length) throws EnvelopeException {
    if (value == null || length == 0) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED_JSON, "empty record value");
    }
    return EnvelopeReader.read(json, value, offset, length);
  }

  /**
   * A reusable decoder for one consume thread: it returns envelopes equal to {@link #decode(byte[])}'s,
   * or fails with the same reason and message, several times faster for metric envelopes. A metric
   * envelope in plain JSON (ASCII strings without escapes) is read straight from the bytes instead
   * of through a JSON parser; the strings that repeat from record to record (service, instance, run,
   * metric names, label keys and values, help, unit) come from a bounded table, a timestamp equal to
   * the previous record's is not parsed again, and the previous record's {@link Source} is reused
   * when the sender is the same; a {@code labels} object repeated byte for byte gives the same
   * unmodifiable map (the one map of all records of a series). Every other record is read by
   * Jackson as {@link #decode(byte[])}
   * does. {@link Decoder#header(byte[])} checks log and event envelopes from the bytes the same way
   * and reads only their headers. Not thread-safe.
   */
  public Decoder newDecoder() {
    return new Decoder();
  }

  /** See {@link #newDecoder()}. */
  public final class Decoder {
    final DecodeCache cache = new DecodeCache();

    private Decoder() {}

    /**
     * Decodes one envelope.
     *
     * @throws EnvelopeException if the bytes are not a valid v1 envelope
     */
    public Envelope decode(byte[] value) throws EnvelopeException {
      if (value == null || value.length == 0) {
        throw new EnvelopeException(EnvelopeException.Reason.MALFORMED_JSON, "empty record value");
      }
      return EnvelopeReader.read(json, value, 0, value.length, cache);
    }

    /**
     * The header of one envelope, for a consumer that passes the record on as it is: the envelope
     * is checked exactly as {@link #decode(byte[])} checks it, so the header is returned for exactly
     * the records {@code decode} accepts and a rejection has {@code decode}'s reason and message. A
     * log or event envelope is checked straight from the bytes without being built (its message,
     * labels and fields are checked, not read); the values of the header must then be strings of
     * plain ASCII, else (and for the other types) the record is decoded and its header taken.
     *
     * @throws EnvelopeException if the bytes are not a valid v1 envelope
     */
    public EnvelopeHeader header(byte[] value) throws EnvelopeException {
      if (value == null || value.length == 0) {
        throw new EnvelopeException(EnvelopeException.Reason.MALFORMED_JSON, "empty record value");
      }
      return EnvelopeReader.header(json, value, cache);
    }
  }

  /**
   * The major version of a schema string such as {@code 1.0}, or -1 if it is not of the form
   * {@code MAJOR.MINOR}.
   */
  public static int majorVersion(String schema) {
    if (schema == null) {
      return -1;
    }
    if (schema.length() >= 2 && schema.charAt(0) == '1' && schema.charAt(1) == '.') {
      return 1; // every record of this major version: no substring, no parse
    }
    int dot = schema.indexOf('.');
    String major = dot < 0 ? schema : schema.substring(0, dot);
    try {
      return Integer.parseInt(major);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
