package dev.tributary.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes log envelopes, the SDK's most frequent record, straight into a {@link JsonBuffer}: the
 * layout is fixed (the canonical v1 field order of {@code docs/wire-format.md}), so field names and
 * punctuation are constant bytes, the sender's header comes from a {@link HeaderCache}, and
 * everything up to the logger is copied in two pieces around the sequence number, built once per
 * millisecond and once per level; strings that repeat (logger, thread, label keys, tags, exception
 * type) are copied from {@link RepeatedStrings}. Only the structured
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
  private static final int LEVEL_SLOTS = 8;

  private final HeaderCache headers;
  private final RepeatedStrings repeated = new RepeatedStrings();
  /**
   * What comes before the sequence number, {@code {"@timestamp":"..","tributary":{..,"seq":}, for
   * {@link #headMillis} and the header it was built from ({@link #headFor}): records come in bursts
   * within one millisecond, so most copy it as one piece.
   */
  private byte[] head;
  private long headMillis;
  private byte[] headFor;
  /**
   * What follows the sequence number up to the level, {@code },"service":{..},"log":{"level":".."},
   * per level (a handful in practice, {@link #LEVEL_SLOTS} kept, replaced in turn), for the header
   * {@link #levelsFor}.
   */
  private final String[] levels = new String[LEVEL_SLOTS];
  private final byte[][] serviceLevels = new byte[LEVEL_SLOTS][];
  private int nextLevelSlot;
  private byte[] levelsFor;
  /** The encoder's generator over the same buffer, for {@code fields}. */
  private final Supplier<JsonGenerator> generator;

  LogEnvelopeWriter(HeaderCache headers, Supplier<JsonGenerator> generator) {
    this.headers = headers;
    this.generator = generator;
  }

  void write(JsonBuffer out, LogEnvelope e) throws IOException {
    headers.select(e);
    out.raw(head(e.timestamp()));
    out.number(e.seq());
    out.raw(serviceLevel(e.level()));
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

  private byte[] head(long timestamp) {
    byte[] prefix = headers.tributaryPrefix();
    if (head == null || timestamp != headMillis || prefix != headFor) {
      JsonBuffer b = new JsonBuffer(TIMESTAMP.length + 32 + TRIBUTARY.length + prefix.length);
      b.raw(TIMESTAMP);
      b.raw(headers.timestamp(timestamp));
      b.raw(TRIBUTARY);
      b.raw(prefix);
      head = b.toByteArray();
      headMillis = timestamp;
      headFor = prefix;
    }
    return head;
  }

  private byte[] serviceLevel(String level) {
    byte[] service = headers.service();
    if (service != levelsFor) {
      Arrays.fill(levels, null);
      levelsFor = service;
    }
    for (int i = 0; i < LEVEL_SLOTS; i++) {
      if (level.equals(levels[i])) { // the same String object in practice: equals() checks that first
        return serviceLevels[i];
      }
    }
    JsonBuffer b = new JsonBuffer(SERVICE.length + service.length + LEVEL.length + level.length() * 6 + 2);
    b.raw(SERVICE);
    b.raw(service);
    b.raw(LEVEL);
    b.string(level);
    int slot = nextLevelSlot;
    nextLevelSlot = (slot + 1) % LEVEL_SLOTS;
    levels[slot] = level;
    serviceLevels[slot] = b.toByteArray();
    return serviceLevels[slot];
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
