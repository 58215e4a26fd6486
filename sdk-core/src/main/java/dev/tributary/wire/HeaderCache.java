package dev.tributary.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code tributary} and {@code service} members of an envelope, encoded once per sender,
 * stream and type: escaping the run id, service and instance names again for every record was
 * the largest single cost of the SDK's I/O thread. The bytes come from
 * {@link EnvelopeWriter#writeHeader} itself, so they are what writing the header field by field
 * gives; Jackson's generator and {@link LogEnvelopeWriter} both copy them. One entry, for one
 * thread's loop; it also keeps the last formatted timestamp.
 */
final class HeaderCache {
  private final JsonFactory json;
  private Source source;
  private String stream;
  private EnvelopeType type;
  /** {@code {"schema":..,"type":..,"run":..,"stream":..,"seq":} without the number and the brace. */
  private SerializedString tributaryPrefix;
  private SerializedString service;
  /** Scratch for the sequence number's digits. */
  private final char[] digits = new char[20];
  /** The last timestamp formatted: records come in bursts within one millisecond. */
  private long lastMillis = Long.MIN_VALUE;
  private byte[] lastTimestamp;

  HeaderCache(JsonFactory json) {
    this.json = json;
  }

  void write(JsonGenerator gen, Envelope e) throws IOException {
    select(e);
    gen.writeFieldName(EnvelopeWriter.F.TRIBUTARY);
    gen.writeRawValue(tributaryPrefix);
    int at = digits.length;
    long seq = e.seq();
    if (seq < 0) {
      gen.writeRaw(Long.toString(seq));
    } else {
      do {
        digits[--at] = (char) ('0' + seq % 10);
        seq /= 10;
      } while (seq != 0);
      gen.writeRaw(digits, at, digits.length - at);
    }
    gen.writeRaw('}');
    gen.writeFieldName(EnvelopeWriter.F.SERVICE);
    gen.writeRawValue(service);
  }

  /** Makes the cache hold the header of this envelope's sender, stream and type. */
  void select(Envelope e) throws IOException {
    if (e.source() != source || !e.stream().equals(stream) || e.type() != type) {
      refresh(e);
    }
  }

  /** The selected {@code tributary} object up to the sequence number: {@code {"schema":..,"seq":}. */
  byte[] tributaryPrefix() {
    return tributaryPrefix.asUnquotedUTF8();
  }

  /** The selected {@code service} object. */
  byte[] service() {
    return service.asUnquotedUTF8();
  }

  /** {@link Timestamps#formatAscii}, formatted again only when the millisecond changes. */
  byte[] timestamp(long epochMillis) {
    if (epochMillis != lastMillis || lastTimestamp == null) {
      lastTimestamp = Timestamps.formatAscii(epochMillis);
      lastMillis = epochMillis;
    }
    return lastTimestamp;
  }

  private void refresh(Envelope e) throws IOException {
    // Through the UTF-8 generator, as every record is written: it escapes surrogate characters
    // (\uD83D\uDE00), where a character-based generator would leave them for the raw write to
    // combine into 4-byte UTF-8, or to refuse when unpaired. Read back, the text has none left.
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      EnvelopeWriter.writeHeader(g, e.type(), e.source(), e.stream(), 0);
      g.writeEndObject();
    }
    // {"tributary":{...,"seq":0},"service":{...}}
    String text = out.toString(StandardCharsets.UTF_8);
    String tributaryStart = "{\"tributary\":";
    String seqEnd = "\"seq\":0},\"service\":";
    int seqAt = text.indexOf(seqEnd);
    tributaryPrefix = new SerializedString(text.substring(tributaryStart.length(), seqAt + "\"seq\":".length()));
    service = new SerializedString(text.substring(seqAt + seqEnd.length(), text.length() - 1));
    source = e.source();
    stream = e.stream();
    type = e.type();
  }
}
