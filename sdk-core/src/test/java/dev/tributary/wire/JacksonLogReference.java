package dev.tributary.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The reference for {@link LogEnvelopeWriter}: log envelopes written field by field through
 * Jackson's generator, as the codec wrote them before the byte-level writer (sdk-core {@code 9a23db3},
 * {@code EnvelopeWriter.writeLog}), with the header from {@link EnvelopeWriter#writeHeader}.
 */
final class JacksonLogReference {
  private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((SerializableString) null).build();

  private JacksonLogReference() {}

  static byte[] encode(LogEnvelope e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeFieldName("@timestamp");
      gen.writeString(Timestamps.format(e.timestamp()));
      EnvelopeWriter.writeHeader(gen, e.type(), e.source(), e.stream(), e.seq());
      writeLog(gen, e);
      gen.writeEndObject();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return out.toByteArray();
  }

  private static void writeLog(JsonGenerator gen, LogEnvelope e) throws IOException {
    gen.writeFieldName("log");
    gen.writeStartObject();
    gen.writeFieldName("level");
    gen.writeString(e.level());
    if (e.logger() != null) {
      gen.writeFieldName("logger");
      gen.writeString(e.logger());
    }
    if (e.origin() != null) {
      LogEnvelope.LogOrigin o = e.origin();
      gen.writeFieldName("origin");
      gen.writeStartObject();
      gen.writeFieldName("file");
      gen.writeStartObject();
      if (o.fileName() != null) {
        gen.writeFieldName("name");
        gen.writeString(o.fileName());
      }
      gen.writeFieldName("line");
      gen.writeNumber(o.line());
      gen.writeEndObject();
      if (o.function() != null) {
        gen.writeFieldName("function");
        gen.writeString(o.function());
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
    gen.writeFieldName("message");
    gen.writeString(e.message());
    if (e.thread() != null) {
      gen.writeFieldName("process");
      gen.writeStartObject();
      gen.writeFieldName("thread");
      gen.writeStartObject();
      gen.writeFieldName("name");
      gen.writeString(e.thread());
      gen.writeEndObject();
      gen.writeEndObject();
    }
    if (e.error() != null) {
      LogEnvelope.ErrorInfo err = e.error();
      gen.writeFieldName("error");
      gen.writeStartObject();
      gen.writeFieldName("type");
      gen.writeString(err.type());
      if (err.message() != null) {
        gen.writeFieldName("message");
        gen.writeString(err.message());
      }
      if (err.stackTrace() != null) {
        gen.writeFieldName("stack_trace");
        gen.writeString(err.stackTrace());
      }
      gen.writeEndObject();
    }
    writeId(gen, "correlation", e.correlationId());
    writeId(gen, "trace", e.traceId());
    writeId(gen, "span", e.spanId());
    writeLabels(gen, e.labels());
    if (!e.fields().isEmpty()) {
      gen.writeFieldName("fields");
      JsonValues.write(gen, e.fields(), 0);
    }
    if (!e.tags().isEmpty()) {
      gen.writeFieldName("tags");
      gen.writeStartArray();
      for (String tag : e.tags()) {
        gen.writeString(tag);
      }
      gen.writeEndArray();
    }
  }


  private static void writeId(JsonGenerator gen, String name, String id) throws IOException {
    if (id != null) {
      gen.writeFieldName(name);
      gen.writeStartObject();
      gen.writeFieldName("id");
      gen.writeString(id);
      gen.writeEndObject();
    }
  }

  private static void writeLabels(JsonGenerator gen, Map<String, String> labels) throws IOException {
    if (labels.isEmpty()) {
      return;
    }
    gen.writeFieldName("labels");
    gen.writeStartObject();
    for (Map.Entry<String, String> entry : labels.entrySet()) {
      gen.writeStringField(entry.getKey(), entry.getValue());
    }
    gen.writeEndObject();
  }
}
