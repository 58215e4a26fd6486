package dev.tributary.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes log envelopes, the SDK's most frequent record, straight into a {@link JsonBuffer}: the
 * layout is fixed (the canonical v1 field order of {@code docs/wire-format.md}), so field names and
 * punctuation are constant bytes, the sender's header comes from a {@link HeaderCache}, the
 * timestamp is formatted once per millisecond, and strings that repeat (level, logger, thread,
 * label keys, tags, exception type) are copied from {@link RepeatedStrings}. Only the structured
 * {@code fields}, whose values are arbitrary objects, go through Jackson ({@link JsonValues}).
 * The bytes are exactly those of the Jackson writer that preceded it, which a test checks on
 * generated records. Not thread-safe: one per encoder.
 */
final class LogEnvelopeWriter {
  private static final byte[] TIMESTAMP = JsonBuffer.ascii("{\"@timestamp\":\"");
  private static final byte[] TRIBUTARY = JsonBuffer.ascii("\",\"tributary\":");
  private static final byte[] SERVICE = JsonBuffer.ascii("},\"service\":");
  private static final byte[] LEVEL = JsonBuffer.ascii(",\"log\":{\"level\":");
  private static final byte[] LOGGER = JsonBuffer.ascii(",\"logger\":");
  private static final byte[] ORIGIN_FILE = JsonBuffer.ascii(",\"origin\":{\"file\":{");
  private static final byte[] NAME = JsonBuffer.ascii("\"name\":");
  private static final byte[] NAME_LINE = JsonBuffer.ascii(",\"line\":");
  private static final byte[] LINE = JsonBuffer.ascii("\"line\":");
  private static final byte[] FUNCTION = JsonBuffer.ascii("},\"function\":");
  private static final byte[] MESSAGE = JsonBuffer.ascii("},\"message\":");
  private static final byte[] THREAD = JsonBuffer.ascii(",\"process\":{\"thread\":{\"name\":");
  private static final byte[] ERROR = JsonBuffer.ascii(",\"error\":{\"type\":");
  private static final byte[] ERROR_MESSAGE = JsonBuffer.ascii(",\"message\":");
  private static final byte[] STACK_TRACE = JsonBuffer.ascii(",\"stack_trace\":");
  private static final byte[] CORRELATION = JsonBuffer.ascii(",\"correlation\":{\"id\":");
  private static final byte[] TRACE = JsonBuffer.ascii(",\"trace\":{\"id\":");
  private static final byte[] SPAN = JsonBuffer.ascii(",\"span\":{\"id\":");
  private static final byte[] LABELS = JsonBuffer.ascii(",\"labels\":{");
  private static final byte[] FIELDS = JsonBuffer.ascii(",\"fields\":");
  private static final byte[] TAGS = JsonBuffer.ascii(",\"tags\":[");

  private final HeaderCache headers;
  private final RepeatedStrings repeated = new RepeatedStrings();
  /** The encoder's generator over the same buffer, for {@code fields}. */
  private final Supplier<JsonGenerator> generator;

  LogEnvelopeWriter(HeaderCache headers, Supplier<JsonGenerator> generator) {
    this.headers = headers;
    this.generator = generator;
  }

  void write(JsonBuffer out, LogEnvelope e) throws IOException {
    headers.select(e);
    out.raw(TIMESTAMP);
    out.raw(headers.timestamp(e.timestamp()));
    out.raw(TRIBUTARY);
    out.raw(headers.tributaryPrefix());
    out.number(e.seq());
    out.raw(SERVICE);
    out.raw(headers.service());

    out.raw(LEVEL);
    repeated.write(out, e.level());
    if (e.logger() != null) {
      out.raw(LOGGER);
      repeated.write(out, e.logger());
    }
    if (e.origin() != null) {
      writeOrigin(out, e.origin());
    }
    out.raw(MESSAGE);
    out.string(e.message());
    if (e.thread() != null) {
      out.raw(THREAD);
      repeated.write(out, e.thread());
      out.raw('}');
      out.raw('}');
    }
    if (e.error() != null) {
      LogEnvelope.ErrorInfo err = e.error();
      out.raw(ERROR);
      repeated.write(out, err.type());
      if (err.message() != null) {
        out.raw(ERROR_MESSAGE);
        out.string(err.message());
      }
      if (err.stackTrace() != null) {
        out.raw(STACK_TRACE);
        out.string(err.stackTrace());
      }
      out.raw('}');
    }
    writeId(out, CORRELATION, e.correlationId());
    writeId(out, TRACE, e.traceId());
    writeId(out, SPAN, e.spanId());
    if (!e.labels().isEmpty()) {
      writeLabels(out, e.labels());
    }
    if (!e.fields().isEmpty()) {
      out.raw(FIELDS);
      JsonGenerator gen = generator.get();
      JsonValues.write(gen, e.fields(), 0);
      gen.flush();
    }
    if (!e.tags().isEmpty()) {
      writeTags(out, e.tags());
    }
    out.raw('}');
  }

  private void writeOrigin(JsonBuffer out, LogEnvelope.LogOrigin o) {
    out.raw(ORIGIN_FILE);
    if (o.fileName() != null) {
      out.raw(NAME);
      repeated.write(out, o.fileName());
      out.raw(NAME_LINE);
    } else {
      out.raw(LINE);
    }
    out.number(o.line());
    if (o.function() != null) {
      out.raw(FUNCTION);
      repeated.write(out, o.function());
    } else {
      out.raw('}');
    }
    out.raw('}');
  }

  private static void writeId(JsonBuffer out, byte[] prefix, String id) {
    if (id != null) {
      out.raw(prefix);
      out.string(id);
      out.raw('}');
    }
  }

  private void writeLabels(JsonBuffer out, Map<String, String> labels) {
    out.raw(LABELS);
    boolean first = true;
    for (Map.Entry<String, String> entry : labels.entrySet()) {
      if (!first) {
        out.raw(',');
      }
      first = false;
      String key = entry.getKey();
      if (key == null) {
        // What Jackson's writeFieldName(null) did: the record fails and is counted, never written half.
        throw new NullPointerException("a label key is null");
      }
      repeated.write(out, key);
      out.raw(':');
      out.string(entry.getValue());
    }
    out.raw('}');
  }

  private void writeTags(JsonBuffer out, List<String> tags) {
    out.raw(TAGS);
    boolean first = true;
    for (String tag : tags) {
      if (!first) {
        out.raw(',');
      }
      first = false;
      repeated.write(out, tag);
    }
    out.raw(']');
  }
}
