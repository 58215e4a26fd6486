package dev.tributary.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Writes envelopes in the canonical v1 field order. */
final class EnvelopeWriter {
  private EnvelopeWriter() {}

  static void write(JsonGenerator gen, Envelope envelope) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("@timestamp", Timestamps.format(envelope.timestamp()));
    writeHeader(gen, envelope);
    switch (envelope.type()) {
      case LOG -> writeLog(gen, (LogEnvelope) envelope);
      case METRIC -> writeMetric(gen, (MetricEnvelope) envelope);
      case EVENT -> writeEvent(gen, (EventEnvelope) envelope);
      case HEALTH -> writeHealth(gen, (HealthEnvelope) envelope);
    }
    gen.writeEndObject();
  }

  private static void writeHeader(JsonGenerator gen, Envelope e) throws IOException {
    gen.writeObjectFieldStart("tributary");
    gen.writeStringField("schema", EnvelopeCodec.SCHEMA_VERSION);
    gen.writeStringField("type", e.type().wireName());
    gen.writeStringField("run", e.source().runId());
    gen.writeStringField("stream", e.stream());
    gen.writeNumberField("seq", e.seq());
    gen.writeEndObject();

    Source s = e.source();
    gen.writeObjectFieldStart("service");
    gen.writeStringField("name", s.service());
    if (s.version() != null) {
      gen.writeStringField("version", s.version());
    }
    if (s.environment() != null) {
      gen.writeStringField("environment", s.environment());
    }
    gen.writeObjectFieldStart("node");
    gen.writeStringField("name", s.instance());
    gen.writeEndObject();
    gen.writeEndObject();
  }

  private static void writeLog(JsonGenerator gen, LogEnvelope e) throws IOException {
    gen.writeObjectFieldStart("log");
    gen.writeStringField("level", e.level());
    if (e.logger() != null) {
      gen.writeStringField("logger", e.logger());
    }
    if (e.origin() != null) {
      LogEnvelope.LogOrigin o = e.origin();
      gen.writeObjectFieldStart("origin");
      gen.writeObjectFieldStart("file");
      if (o.fileName() != null) {
        gen.writeStringField("name", o.fileName());
      }
      gen.writeNumberField("line", o.line());
      gen.writeEndObject();
      if (o.function() != null) {
        gen.writeStringField("function", o.function());
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
    gen.writeStringField("message", e.message());
    if (e.thread() != null) {
      gen.writeObjectFieldStart("process");
      gen.writeObjectFieldStart("thread");
      gen.writeStringField("name", e.thread());
      gen.writeEndObject();
      gen.writeEndObject();
    }
    if (e.error() != null) {
      LogEnvelope.ErrorInfo err = e.error();
      gen.writeObjectFieldStart("error");
      gen.writeStringField("type", err.type());
      if (err.message() != null) {
        gen.writeStringField("message", err.message());
      }
      if (err.stackTrace() != null) {
        gen.writeStringField("stack_trace", err.stackTrace());
      }
      gen.writeEndObject();
    }
    writeContext(gen, e.correlationId(), e.traceId(), e.spanId());
    writeStringMap(gen, "labels", e.labels());
    writeValueMap(gen, "fields", e.fields());
    if (!e.tags().isEmpty()) {
      gen.writeArrayFieldStart("tags");
      for (String tag : e.tags()) {
        gen.writeString(tag);
      }
      gen.writeEndArray();
    }
  }

  private static void writeEvent(JsonGenerator gen, EventEnvelope e) throws IOException {
    gen.writeObjectFieldStart("event");
    gen.writeStringField("domain", e.domain());
    gen.writeStringField("name", e.name());
    if (e.entityId() != null) {
      gen.writeStringField("entity_id", e.entityId());
    }
    gen.writeEndObject();
    writeContext(gen, e.correlationId(), e.traceId(), e.spanId());
    writeValueMap(gen, "attributes", e.attributes());
  }

  private static void writeHealth(JsonGenerator gen, HealthEnvelope e) throws IOException {
    gen.writeObjectFieldStart("health");
    gen.writeStringField("status", e.status().name());
    gen.writeStringField("started", Timestamps.format(e.startedAt()));
    gen.writeNumberField("uptime_ms", e.uptimeMillis());
    gen.writeNumberField("interval_ms", e.intervalMillis());
    if (!e.checks().isEmpty()) {
      gen.writeObjectFieldStart("checks");
      for (Map.Entry<String, HealthEnvelope.Check> c : e.checks().entrySet()) {
        gen.writeObjectFieldStart(c.getKey());
        gen.writeStringField("status", c.getValue().status().name());
        if (c.getValue().detail() != null) {
          gen.writeStringField("detail", c.getValue().detail());
        }
        gen.writeEndObject();
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static void writeMetric(JsonGenerator gen, MetricEnvelope e) throws IOException {
    gen.writeObjectFieldStart("metric");
    gen.writeStringField("name", e.name());
    gen.writeStringField("type", e.kind().wireName());
    if (e.help() != null) {
      gen.writeStringField("help", e.help());
    }
    if (e.unit() != null) {
      gen.writeStringField("unit", e.unit());
    }
    gen.writeStringField("start", Timestamps.format(e.startTimestamp()));
    switch (e.kind()) {
      case COUNTER, GAUGE -> {
        gen.writeFieldName("value");
        writeDouble(gen, e.value());
      }
      case HISTOGRAM -> {
        MetricEnvelope.Histogram h = e.histogram();
        gen.writeNumberField("count", h.count());
        gen.writeFieldName("sum");
        writeDouble(gen, h.sum());
        gen.writeArrayFieldStart("buckets");
        for (MetricEnvelope.Bucket b : h.buckets()) {
          gen.writeStartObject();
          gen.writeFieldName("le");
          writeDouble(gen, b.upperBound());
          gen.writeNumberField("count", b.cumulativeCount());
          gen.writeEndObject();
        }
        gen.writeEndArray();
      }
      case SUMMARY -> {
        MetricEnvelope.Summary s = e.summary();
        gen.writeNumberField("count", s.count());
        gen.writeFieldName("sum");
        writeDouble(gen, s.sum());
        gen.writeArrayFieldStart("quantiles");
        for (MetricEnvelope.Quantile q : s.quantiles()) {
          gen.writeStartObject();
          gen.writeFieldName("quantile");
          writeDouble(gen, q.quantile());
          gen.writeFieldName("value");
          writeDouble(gen, q.value());
          gen.writeEndObject();
        }
        gen.writeEndArray();
      }
    }
    gen.writeEndObject();
    writeStringMap(gen, "labels", e.labels());
  }

  private static void writeContext(JsonGenerator gen, String correlationId, String traceId, String spanId)
      throws IOException {
    writeIdObject(gen, "correlation", correlationId);
    writeIdObject(gen, "trace", traceId);
    writeIdObject(gen, "span", spanId);
  }

  private static void writeIdObject(JsonGenerator gen, String name, String id) throws IOException {
    if (id != null) {
      gen.writeObjectFieldStart(name);
      gen.writeStringField("id", id);
      gen.writeEndObject();
    }
  }

  private static void writeStringMap(JsonGenerator gen, String name, Map<String, String> map) throws IOException {
    if (map.isEmpty()) {
      return;
    }
    gen.writeObjectFieldStart(name);
    for (Map.Entry<String, String> entry : map.entrySet()) {
      gen.writeStringField(entry.getKey(), entry.getValue());
    }
    gen.writeEndObject();
  }

  private static void writeValueMap(JsonGenerator gen, String name, Map<String, Object> map) throws IOException {
    if (map.isEmpty()) {
      return;
    }
    gen.writeFieldName(name);
    JsonValues.write(gen, map, 0);
  }

  /**
   * Writes a double; JSON has no NaN or infinities, so those are written as the strings
   * {@code "NaN"}, {@code "+Inf"} and {@code "-Inf"} (Prometheus' spelling).
   */
  static void writeDouble(JsonGenerator gen, double value) throws IOException {
    if (Double.isNaN(value)) {
      gen.writeString("NaN");
    } else if (value == Double.POSITIVE_INFINITY) {
      gen.writeString("+Inf");
    } else if (value == Double.NEGATIVE_INFINITY) {
      gen.writeString("-Inf");
    } else {
      gen.writeNumber(value);
    }
  }

  static void writeStrings(JsonGenerator gen, List<String> values) throws IOException {
    gen.writeStartArray();
    for (String v : values) {
      gen.writeString(v);
    }
    gen.writeEndArray();
  }
}
