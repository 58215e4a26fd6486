package dev.tributary.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.Map;

/** Writes envelopes in the canonical v1 field order. */
final class EnvelopeWriter {
  private EnvelopeWriter() {}

  /** Field names, quoted and encoded once (the writer runs for every record). */
  static final class F {
    static final SerializedString TIMESTAMP = new SerializedString("@timestamp");
    static final SerializedString BUCKETS = new SerializedString("buckets");
    static final SerializedString CHECKS = new SerializedString("checks");
    static final SerializedString COUNT = new SerializedString("count");
    static final SerializedString DETAIL = new SerializedString("detail");
    static final SerializedString DOMAIN = new SerializedString("domain");
    static final SerializedString ENTITY_ID = new SerializedString("entity_id");
    static final SerializedString ENVIRONMENT = new SerializedString("environment");
    static final SerializedString EVENT = new SerializedString("event");
    static final SerializedString HEALTH = new SerializedString("health");
    static final SerializedString HELP = new SerializedString("help");
    static final SerializedString ID = new SerializedString("id");
    static final SerializedString INTERVAL_MS = new SerializedString("interval_ms");
    static final SerializedString LE = new SerializedString("le");
    static final SerializedString METRIC = new SerializedString("metric");
    static final SerializedString NAME = new SerializedString("name");
    static final SerializedString NODE = new SerializedString("node");
    static final SerializedString QUANTILE = new SerializedString("quantile");
    static final SerializedString QUANTILES = new SerializedString("quantiles");
    static final SerializedString RUN = new SerializedString("run");
    static final SerializedString SCHEMA = new SerializedString("schema");
    static final SerializedString SEQ = new SerializedString("seq");
    static final SerializedString SERVICE = new SerializedString("service");
    static final SerializedString START = new SerializedString("start");
    static final SerializedString STARTED = new SerializedString("started");
    static final SerializedString STATUS = new SerializedString("status");
    static final SerializedString STREAM = new SerializedString("stream");
    static final SerializedString SUM = new SerializedString("sum");
    static final SerializedString TRIBUTARY = new SerializedString("tributary");
    static final SerializedString TYPE = new SerializedString("type");
    static final SerializedString UNIT = new SerializedString("unit");
    static final SerializedString UPTIME_MS = new SerializedString("uptime_ms");
    static final SerializedString VALUE = new SerializedString("value");
    static final SerializedString VERSION = new SerializedString("version");
    static final SerializedString CORRELATION = new SerializedString("correlation");
    static final SerializedString TRACE = new SerializedString("trace");
    static final SerializedString SPAN = new SerializedString("span");
    static final SerializedString LABELS = new SerializedString("labels");
    static final SerializedString ATTRIBUTES = new SerializedString("attributes");

    private F() {}
  }

  /**
   * Writes a metric, event or health envelope; the sender's part of the header, the same for every
   * record of a stream, is written from bytes the {@link HeaderCache} encoded once. Log envelopes
   * are written by {@link LogEnvelopeWriter}.
   */
  static void write(JsonGenerator gen, Envelope envelope, HeaderCache cache) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(F.TIMESTAMP);
    byte[] timestamp = cache.timestamp(envelope.timestamp());
    gen.writeRawUTF8String(timestamp, 0, timestamp.length);
    cache.write(gen, envelope);
    switch (envelope.type()) {
      case METRIC -> writeMetric(gen, (MetricEnvelope) envelope);
      case EVENT -> writeEvent(gen, (EventEnvelope) envelope);
      case HEALTH -> writeHealth(gen, (HealthEnvelope) envelope);
      case LOG -> throw new IllegalArgumentException("log envelopes are written by LogEnvelopeWriter");
    }
    gen.writeEndObject();
  }

  static void writeHeader(JsonGenerator gen, EnvelopeType type, Source s, String stream, long seq) throws IOException {
    gen.writeFieldName(F.TRIBUTARY);
    gen.writeStartObject();
    gen.writeFieldName(F.SCHEMA);
    gen.writeString(EnvelopeCodec.SCHEMA_VERSION);
    gen.writeFieldName(F.TYPE);
    gen.writeString(type.wireName());
    gen.writeFieldName(F.RUN);
    gen.writeString(s.runId());
    gen.writeFieldName(F.STREAM);
    gen.writeString(stream);
    gen.writeFieldName(F.SEQ);
    gen.writeNumber(seq);
    gen.writeEndObject();

    gen.writeFieldName(F.SERVICE);
    gen.writeStartObject();
    gen.writeFieldName(F.NAME);
    gen.writeString(s.service());
    if (s.version() != null) {
      gen.writeFieldName(F.VERSION);
      gen.writeString(s.version());
    }
    if (s.environment() != null) {
      gen.writeFieldName(F.ENVIRONMENT);
      gen.writeString(s.environment());
    }
    gen.writeFieldName(F.NODE);
    gen.writeStartObject();
    gen.writeFieldName(F.NAME);
    gen.writeString(s.instance());
    gen.writeEndObject();
    gen.writeEndObject();
  }

  private static void writeEvent(JsonGenerator gen, EventEnvelope e) throws IOException {
    gen.writeFieldName(F.EVENT);
    gen.writeStartObject();
    gen.writeFieldName(F.DOMAIN);
    gen.writeString(e.domain());
    gen.writeFieldName(F.NAME);
    gen.writeString(e.name());
    if (e.entityId() != null) {
      gen.writeFieldName(F.ENTITY_ID);
      gen.writeString(e.entityId());
    }
    gen.writeEndObject();
    writeContext(gen, e.correlationId(), e.traceId(), e.spanId());
    writeValueMap(gen, F.ATTRIBUTES, e.attributes());
  }

  private static void writeHealth(JsonGenerator gen, HealthEnvelope e) throws IOException {
    gen.writeFieldName(F.HEALTH);
    gen.writeStartObject();
    gen.writeFieldName(F.STATUS);
    gen.writeString(e.status().name());
    gen.writeFieldName(F.STARTED);
    gen.writeString(Timestamps.format(e.startedAt()));
    gen.writeFieldName(F.UPTIME_MS);
    gen.writeNumber(e.uptimeMillis());
    gen.writeFieldName(F.INTERVAL_MS);
    gen.writeNumber(e.intervalMillis());
    if (!e.checks().isEmpty()) {
      gen.writeFieldName(F.CHECKS);
      gen.writeStartObject();
      for (Map.Entry<String, HealthEnvelope.Check> c : e.checks().entrySet()) {
        gen.writeObjectFieldStart(c.getKey());
        gen.writeFieldName(F.STATUS);
        gen.writeString(c.getValue().status().name());
        if (c.getValue().detail() != null) {
          gen.writeFieldName(F.DETAIL);
          gen.writeString(c.getValue().detail());
        }
        gen.writeEndObject();
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static void writeMetric(JsonGenerator gen, MetricEnvelope e) throws IOException {
    gen.writeFieldName(F.METRIC);
    gen.writeStartObject();
    gen.writeFieldName(F.NAME);
    gen.writeString(e.name());
    gen.writeFieldName(F.TYPE);
    gen.writeString(e.kind().wireName());
    if (e.help() != null) {
      gen.writeFieldName(F.HELP);
      gen.writeString(e.help());
    }
    if (e.unit() != null) {
      gen.writeFieldName(F.UNIT);
      gen.writeString(e.unit());
    }
    gen.writeFieldName(F.START);
    gen.writeString(Timestamps.format(e.startTimestamp()));
    switch (e.kind()) {
      case COUNTER, GAUGE -> {
        gen.writeFieldName(F.VALUE);
        writeDouble(gen, e.value());
      }
      case HISTOGRAM -> {
        MetricEnvelope.Histogram h = e.histogram();
        gen.writeFieldName(F.COUNT);
        gen.writeNumber(h.count());
        gen.writeFieldName(F.SUM);
        writeDouble(gen, h.sum());
        gen.writeFieldName(F.BUCKETS);
        gen.writeStartArray();
        for (MetricEnvelope.Bucket b : h.buckets()) {
          gen.writeStartObject();
          gen.writeFieldName(F.LE);
          writeDouble(gen, b.upperBound());
          gen.writeFieldName(F.COUNT);
          gen.writeNumber(b.cumulativeCount());
          gen.writeEndObject();
        }
        gen.writeEndArray();
      }
      case SUMMARY -> {
        MetricEnvelope.Summary s = e.summary();
        gen.writeFieldName(F.COUNT);
        gen.writeNumber(s.count());
        gen.writeFieldName(F.SUM);
        writeDouble(gen, s.sum());
        gen.writeFieldName(F.QUANTILES);
        gen.writeStartArray();
        for (MetricEnvelope.Quantile q : s.quantiles()) {
          gen.writeStartObject();
          gen.writeFieldName(F.QUANTILE);
          writeDouble(gen, q.quantile());
          gen.writeFieldName(F.VALUE);
          writeDouble(gen, q.value());
          gen.writeEndObject();
        }
        gen.writeEndArray();
      }
    }
    gen.writeEndObject();
    writeStringMap(gen, F.LABELS, e.labels());
  }

  private static void writeContext(JsonGenerator gen, String correlationId, String traceId, String spanId)
      throws IOException {
    writeIdObject(gen, F.CORRELATION, correlationId);
    writeIdObject(gen, F.TRACE, traceId);
    writeIdObject(gen, F.SPAN, spanId);
  }

  private static void writeIdObject(JsonGenerator gen, SerializedString name, String id) throws IOException {
    if (id != null) {
      gen.writeFieldName(name);
      gen.writeStartObject();
      gen.writeFieldName(F.ID);
      gen.writeString(id);
      gen.writeEndObject();
    }
  }

  private static void writeStringMap(JsonGenerator gen, SerializedString name, Map<String, String> map) throws IOException {
    if (map.isEmpty()) {
      return;
    }
    gen.writeFieldName(name);
    gen.writeStartObject();
    for (Map.Entry<String, String> entry : map.entrySet()) {
      gen.writeStringField(entry.getKey(), entry.getValue());
    }
    gen.writeEndObject();
  }

  private static void writeValueMap(JsonGenerator gen, SerializedString name, Map<String, Object> map) throws IOException {
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
}
