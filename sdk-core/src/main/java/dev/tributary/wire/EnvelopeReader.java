package dev.tributary.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.tributary.wire.EnvelopeException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one v1 envelope with the streaming parser. Fields may come in any order and unknown ones
 * are skipped; the type-specific parts are collected and checked once the object is complete.
 */
final class EnvelopeReader {
  /**
   * What {@link EnvelopeScanner#scanDocument} puts in a field it checked but did not read: only its
   * presence matters to {@link #header()}.
   */
  static final String UNREAD = new String("(checked, not read)");

  // Header (the fields EnvelopeScanner fills are package-private)
  long timestamp = Long.MIN_VALUE;
  String schema;
  String type;
  String run;
  String stream;
  long seq = -1;
  String service;
  String instance;
  String version;
  String environment;
  // Shared
  private String correlationId;
  private String traceId;
  private String spanId;
  Map<String, String> labels;
  // Log
  String level;
  private String logger;
  String message;
  private String thread;
  private Map<String, Object> fields;
  private List<String> tags;
  String errorType;
  String errorMessage;
  String errorStack;
  private boolean hasOrigin;
  private String originFile;
  private int originLine;
  private String originFunction;
  // Event
  String domain;
  String eventName;
  private String entityId;
  private Map<String, Object> attributes;
  // Metric
  String metricName;
  String metricType;
  String help;
  String unit;
  long start = Long.MIN_VALUE;
  double value = Double.NaN;
  boolean hasValue;
  long count = -1;
  double sum = Double.NaN;
  List<MetricEnvelope.Bucket> buckets;
  List<MetricEnvelope.Quantile> quantiles;
  // Health
  private String status;
  private long started = Long.MIN_VALUE;
  private long uptime;
  private long interval;
  private Map<String, HealthEnvelope.Check> checks;

  /** The decoder's cache (the sender of the previous record), or {@code null} for a one-off decode. */
  private final DecodeCache cache;

  EnvelopeReader(DecodeCache cache) {
    this.cache = cache;
  }

  /**
   * Back to a new reader's values in every field {@link EnvelopeScanner#scanMetric} fills (the package-private
   * ones above), so that one reader serves every record of a decoder's byte-level path: the scanner
   * writes no other field and {@link #build()} writes none.
   */
  EnvelopeReader resetScanned() {
    timestamp = Long.MIN_VALUE;
    schema = null;
    type = null;
    run = null;
    stream = null;
    seq = -1;
    service = null;
    instance = null;
    version = null;
    environment = null;
    labels = null;
    metricName = null;
    metricType = null;
    help = null;
    unit = null;
    start = Long.MIN_VALUE;
    value = Double.NaN;
    hasValue = false;
    count = -1;
    sum = Double.NaN;
    buckets = null;
    quantiles = null;
    return this;
  }

  static Envelope read(JsonFactory json, byte[] bytes, int offset, int length) throws EnvelopeException {
    return read(json, bytes, offset, length, null);
  }

  /**
   * Reads one envelope; with a {@link DecodeCache}, a metric envelope in plain JSON is read by the
   * cache's {@link EnvelopeScanner} (its identifiers from the cache), anything it declines by Jackson,
   * and the result is equal to what a read without one returns.
   */
  static Envelope read(JsonFactory json, byte[] bytes, int offset, int length, DecodeCache cache)
      throws EnvelopeException {
    if (cache != null) {
      EnvelopeReader fast = cache.scanReader();
      if (cache.scanner().scanMetric(fast, bytes, offset, length)) {
        return fast.build();
      }
    }
    EnvelopeReader r = new EnvelopeReader(cache);
    try (JsonParser p = json.createParser(bytes, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new EnvelopeException(Reason.MALFORMED_JSON, "record value is not a JSON object");
      }
      r.readTop(p);
    } catch (EnvelopeException e) {
      throw r.preferVersionError(e);
    } catch (StreamConstraintsException e) {
      throw new EnvelopeException(Reason.MALFORMED_JSON, "record value exceeds parser limits: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw r.preferVersionError(new EnvelopeException(Reason.MALFORMED_JSON, "invalid JSON: " + firstLine(e.getMessage()), e));
    }
    return r.build();
  }

  /**
   * The header of one envelope, which must be valid exactly as for {@link #read}: a log or event
   * envelope is checked by the cache's {@link EnvelopeScanner} without being built; anything it
   * declines, and any envelope it would reject, is read by {@link #read}, which returns the envelope
   * or throws its exact error.
   */
  static EnvelopeHeader header(JsonFactory json, byte[] bytes, DecodeCache cache) throws EnvelopeException {
    EnvelopeReader fast = new EnvelopeReader(cache);
    if (cache.scanner().scanDocument(fast, bytes, 0, bytes.length)) {
      EnvelopeHeader header = fast.header();
      if (header != null) {
        return header;
      }
    }
    return EnvelopeHeader.of(read(json, bytes, 0, bytes.length, cache));
  }

  /** A record of an unknown major version is reported as such even if its shape also differs. */
  private EnvelopeException preferVersionError(EnvelopeException e) {
    if (schema != null && EnvelopeCodec.majorVersion(schema) != EnvelopeCodec.SCHEMA_MAJOR) {
      return new EnvelopeException(Reason.UNSUPPORTED_VERSION, "unsupported schema version " + schema, e);
    }
    return e;
  }

  private void readTop(JsonParser p) throws IOException, EnvelopeException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "@timestamp" -> timestamp = timestamp(p, "@timestamp");
        case "tributary" -> readTributary(p);
        case "service" -> readService(p);
        case "log" -> readLog(p);
        case "message" -> message = string(p, "message");
        case "process" -> readProcess(p);
        case "error" -> readError(p);
        case "correlation" -> correlationId = readId(p, "correlation");
        case "trace" -> traceId = readId(p, "trace");
        case "span" -> spanId = readId(p, "span");
        case "labels" -> labels = readStringMap(p, "labels");
        case "fields" -> fields = readValueMap(p, "fields");
        case "attributes" -> attributes = readValueMap(p, "attributes");
        case "tags" -> tags = readStrings(p, "tags");
        case "event" -> readEvent(p);
        case "metric" -> readMetric(p);
        case "health" -> readHealth(p);
        default -> {
          if (t.isStructStart()) {
            p.skipChildren();
          }
        }
      }
    }
  }

  private void readTributary(JsonParser p) throws IOException, EnvelopeException {
    expectObject(p, "tributary");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "schema" -> schema = string(p, "tributary.schema");
        case "type" -> type = string(p, "tributary.type");
        case "run" -> run = string(p, "tributary.run");
        case "stream" -> stream = string(p, "tributary.stream");
        case "seq" -> seq = longValue(p, "tributary.seq");
        default -> p.skipChildren();
      }
    }
  }

  private void readService(JsonParser p) throws IOException, EnvelopeException {
    expectObject(p, "service");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "name" -> service = string(p, "service.name");
        case "version" -> version = string(p, "service.version");
        case "environment" -> environment = string(p, "service.environment");
        case "node" -> {
          expectObject(p, "service.node");
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String n = p.currentName();
            p.nextToken();
            if (n.equals("name")) {
              instance = string(p, "service.node.name");
            } else {
              p.skipChildren();
            }
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private void readLog(JsonParser p) throws IOException, EnvelopeException {
    expectObject(p, "log");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "level" -> level = string(p, "log.level");
        case "logger" -> logger = string(p, "log.logger");
        case "origin" -> readOrigin(p);
        default -> p.skipChildren();
      }
    }
  }

  private void readOrigin(JsonParser p) throws IOException, EnvelopeException {
    expectObject(p, "log.origin");
    hasOrigin = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "function" -> originFunction = string(p, "log.origin.function");
        case "file" -> {
          expectObject(p, "log.origin.file");
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String n = p.currentName();
            p.nextToken();
            switch (n) {
              case "name" -> originFile = string(p, "log.origin.file.name");
              case "line" -> originLine = (int) longValue(p, "log.origin.file.line");
              default -> p.skipChildren();
            }
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private void readProcess(JsonParser p) throws IOException, EnvelopeException {
    expectObject(p, "process");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("thread")) {
        expectObject(p, "process.thread");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String n = p.currentName();
          p.nextToken();
          if (n.equals("name")) {
            thread = string(p, "process.thread.name");
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }

  private void readError(JsonParser p) throws IOException, EnvelopeException {
    expectObject(p, "error");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "type" -> errorType = string(p, "error.type");
        case "message" -> errorMessage = string(p, "error.message");
        case "stack_trace" -> errorStack = string(p, "error.stack_trace");
        default -> p.skipChildren();
      }
    }
  }

  private void readEvent(JsonParser p) throws IOException, EnvelopeException {
    expectObject(p, "event");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "domain" -> domain = string(p, "event.domain");
        case "name" -> eventName = string(p, "event.name");
        case "entity_id" -> entityId = string(p, "event.entity_id");
        default -> p.skipChildren();
      }
    }
  }

  private void readMetric(JsonParser p) throws IOException, EnvelopeException {
    expectObject(p, "metric");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "name" -> metricName = string(p, "metric.name");
        case "type" -> metricType = string(p, "metric.type");
        case "help" -> help = string(p, "metric.help");
        case "unit" -> unit = string(p, "metric.unit");
        case "start" -> start = timestamp(p, "metric.start");
        case "value" -> {
          value = doubleValue(p, "metric.value");
          hasValue = true;
        }
        case "count" -> count = longValue(p, "metric.count");
        case "sum" -> sum = doubleValue(p, "metric.sum");
        case "buckets" -> buckets = readBuckets(p);
        case "quantiles" -> quantiles = readQuantiles(p);
        default -> p.skipChildren();
      }
    }
  }

  private List<MetricEnvelope.Bucket> readBuckets(JsonParser p) throws IOException, EnvelopeException {
    expect(p, JsonToken.START_ARRAY, "metric.buckets", "an array");
    List<MetricEnvelope.Bucket> list = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      double le = Double.NaN;
      long c = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "le" -> le = doubleValue(p, "metric.buckets[].le");
          case "count" -> c = longValue(p, "metric.buckets[].count");
          default -> p.skipChildren();
        }
      }
      if (Double.isNaN(le) || c < 0) {
        throw new EnvelopeException(Reason.INVALID_VALUE, "metric.buckets[" + list.size() + "] needs le and a non-negative count");
      }
      list.add(new MetricEnvelope.Bucket(le, c));
    }
    expect(p, JsonToken.END_ARRAY, "metric.buckets", "an array of objects");
    return list;
  }

  private List<MetricEnvelope.Quantile> readQuantiles(JsonParser p) throws IOException, EnvelopeException {
    expect(p, JsonToken.START_ARRAY, "metric.quantiles", "an array");
    List<MetricEnvelope.Quantile> list = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      double q = Double.NaN;
      double v = Double.NaN;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "quantile" -> q = doubleValue(p, "metric.quantiles[].quantile");
          case "value" -> v = doubleValue(p, "metric.quantiles[].value");
          default -> p.skipChildren();
        }
      }
      if (!(q >= 0 && q <= 1)) {
        throw new EnvelopeException(Reason.INVALID_VALUE, "metric.quantiles[" + list.size() + "].quantile must be in [0, 1]");
      }
      list.add(new MetricEnvelope.Quantile(q, v));
    }
    expect(p, JsonToken.END_ARRAY, "metric.quantiles", "an array of objects");
    return list;
  }

  private void readHealth(JsonParser p) throws IOException, EnvelopeException {
    expectObject(p, "health");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "status" -> status = string(p, "health.status");
        case "started" -> started = timestamp(p, "health.started");
        case "uptime_ms" -> uptime = longValue(p, "health.uptime_ms");
        case "interval_ms" -> interval = longValue(p, "health.interval_ms");
        case "checks" -> {
          expectObject(p, "health.checks");
          checks = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String check = p.currentName();
            p.nextToken();
            expectObject(p, "health.checks." + check);
            String checkStatus = null;
            String detail = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String n = p.currentName();
              p.nextToken();
              switch (n) {
                case "status" -> checkStatus = string(p, "health.checks." + check + ".status");
                case "detail" -> detail = string(p, "health.checks." + check + ".detail");
                default -> p.skipChildren();
              }
            }
            checks.put(check, new HealthEnvelope.Check(healthStatus(checkStatus, "health.checks." + check + ".status"), detail));
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private Envelope build() throws EnvelopeException {
    EnvelopeType envelopeType = checkHeader();
    Source source = cache == null ? new Source(service, instance, version, environment, run)
        : cache.source(service, instance, version, environment, run);
    return switch (envelopeType) {
      case LOG -> buildLog(source);
      case EVENT -> buildEvent(source);
      case METRIC -> buildMetric(source);
      case HEALTH -> buildHealth(source);
    };
  }

  /** The checks of {@link #build()} common to all types, in its order; the envelope's type. */
  private EnvelopeType checkHeader() throws EnvelopeException {
    require(schema, "tributary.schema");
    int major = EnvelopeCodec.majorVersion(schema);
    if (major != EnvelopeCodec.SCHEMA_MAJOR) {
      throw new EnvelopeException(Reason.UNSUPPORTED_VERSION, "unsupported schema version " + schema
          + " (this reader understands " + EnvelopeCodec.SCHEMA_MAJOR + ".x)");
    }
    require(type, "tributary.type");
    EnvelopeType envelopeType;
    try {
      envelopeType = EnvelopeType.fromWireName(type);
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(Reason.UNKNOWN_TYPE, "unknown tributary.type: " + type);
    }
    if (timestamp == Long.MIN_VALUE) {
      throw missing("@timestamp");
    }
    require(run, "tributary.run");
    require(stream, "tributary.stream");
    if (seq < 0) {
      throw missing("tributary.seq");
    }
    require(service, "service.name");
    require(instance, "service.node.name");
    return envelopeType;
  }

  /**
   * After {@link EnvelopeScanner#scanDocument}: the header if {@link #build()} would succeed, else
   * {@code null} (the Jackson path then names the error).
   */
  private EnvelopeHeader header() {
    try {
      EnvelopeType envelopeType = checkHeader();
      switch (envelopeType) {
        case LOG -> checkLog();
        case EVENT -> checkEvent();
        default -> {
          return null;
        }
      }
      return new EnvelopeHeader(envelopeType, timestamp, service, instance, run, stream, seq,
          envelopeType == EnvelopeType.EVENT ? domain : null);
    } catch (EnvelopeException e) {
      return null;
    }
  }

  private LogEnvelope buildLog(Source source) throws EnvelopeException {
    checkLog();
    LogEnvelope.ErrorInfo error = errorType == null ? null : new LogEnvelope.ErrorInfo(errorType, errorMessage, errorStack);
    LogEnvelope.LogOrigin origin = hasOrigin ? new LogEnvelope.LogOrigin(originFile, originLine, originFunction) : null;
    return new LogEnvelope(timestamp, source, stream, seq, level, logger, thread, message, labels, fields, tags,
        error, origin, correlationId, traceId, spanId);
  }

  private void checkLog() throws EnvelopeException {
    require(level, "log.level");
    require(message, "message");
    if (errorType == null && (errorMessage != null || errorStack != null)) {
      throw missing("error.type");
    }
  }

  private EventEnvelope buildEvent(Source source) throws EnvelopeException {
    checkEvent();
    return new EventEnvelope(timestamp, source, stream, seq, domain, eventName, entityId, attributes,
        correlationId, traceId, spanId);
  }

  private void checkEvent() throws EnvelopeException {
    require(domain, "event.domain");
    require(eventName, "event.name");
  }

  private MetricEnvelope buildMetric(Source source) throws EnvelopeException {
    require(metricName, "metric.name");
    require(metricType, "metric.type");
    MetricEnvelope.MetricKind kind;
    try {
      kind = MetricEnvelope.MetricKind.fromWireName(metricType);
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(Reason.INVALID_VALUE, "unknown metric.type: " + metricType);
    }
    if (start == Long.MIN_VALUE) {
      throw missing("metric.start");
    }
    MetricEnvelope.Histogram histogram = null;
    MetricEnvelope.Summary summary = null;
    switch (kind) {
      case COUNTER, GAUGE -> {
        if (!hasValue) {
          throw missing("metric.value");
        }
      }
      case HISTOGRAM -> {
        requireCountAndSum();
        if (buckets == null) {
          throw missing("metric.buckets");
        }
        histogram = new MetricEnvelope.Histogram(buckets, count, sum);
      }
      case SUMMARY -> {
        requireCountAndSum();
        summary = new MetricEnvelope.Summary(quantiles == null ? List.of() : quantiles, count, sum);
      }
    }
    double v = kind == MetricEnvelope.MetricKind.COUNTER || kind == MetricEnvelope.MetricKind.GAUGE ? value : Double.NaN;
    return new MetricEnvelope(timestamp, source, stream, seq, metricName, kind, help, unit, start, labels, v,
        histogram, summary);
  }

  private void requireCountAndSum() throws EnvelopeException {
    if (count < 0) {
      throw missing("metric.count");
    }
    if (Double.isNaN(sum)) {
      throw missing("metric.sum");
    }
  }

  private HealthEnvelope buildHealth(Source source) throws EnvelopeException {
    HealthEnvelope.Status s = healthStatus(status, "health.status");
    if (started == Long.MIN_VALUE) {
      throw missing("health.started");
    }
    return new HealthEnvelope(timestamp, source, stream, seq, s, started, uptime, interval, checks);
  }

  private static HealthEnvelope.Status healthStatus(String s, String field) throws EnvelopeException {
    if (s == null) {
      throw missing(field);
    }
    try {
      return HealthEnvelope.Status.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(Reason.INVALID_VALUE, field + " must be UP, DEGRADED or DOWN, was " + s);
    }
  }

  // --- token helpers --------------------------------------------------------------------------

  private static void require(String value, String field) throws EnvelopeException {
    if (value == null) {
      throw missing(field);
    }
  }

  private static EnvelopeException missing(String field) {
    return new EnvelopeException(Reason.MISSING_FIELD, "missing required field " + field);
  }

  private static void expectObject(JsonParser p, String field) throws EnvelopeException {
    expect(p, JsonToken.START_OBJECT, field, "an object");
  }

  private static void expect(JsonParser p, JsonToken token, String field, String what) throws EnvelopeException {
    if (p.currentToken() != token) {
      throw new EnvelopeException(Reason.INVALID_VALUE, field + " must be " + what + ", was " + p.currentToken());
    }
  }

  private static String string(JsonParser p, String field) throws IOException, EnvelopeException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new EnvelopeException(Reason.INVALID_VALUE, field + " must be a string, was " + t);
    }
    return p.getText();
  }

  private static long longValue(JsonParser p, String field) throws IOException, EnvelopeException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new EnvelopeException(Reason.INVALID_VALUE, field + " must be an integer, was " + p.currentToken());
    }
    return p.getLongValue();
  }

  private static double doubleValue(JsonParser p, String field) throws IOException, EnvelopeException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      switch (p.getText()) {
        case "NaN":
          return Double.NaN;
        case "+Inf":
          return Double.POSITIVE_INFINITY;
        case "-Inf":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw new EnvelopeException(Reason.INVALID_VALUE, field + " must be a number, \"NaN\", \"+Inf\" or \"-Inf\", was " + t);
  }

  private static long timestamp(JsonParser p, String field) throws IOException, EnvelopeException {
    String text = string(p, field);
    if (text == null) {
      throw missing(field);
    }
    try {
      return Timestamps.parse(text);
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(Reason.INVALID_VALUE, field + " is not an RFC 3339 timestamp: " + text);
    }
  }

  private static String readId(JsonParser p, String field) throws IOException, EnvelopeException {
    expectObject(p, field);
    String id = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("id")) {
        id = string(p, field + ".id");
      } else {
        p.skipChildren();
      }
    }
    return id;
  }

  private static Map<String, String> readStringMap(JsonParser p, String field) throws IOException, EnvelopeException {
    expectObject(p, field);
    Map<String, String> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      String v = string(p, field + "." + name);
      if (v != null) {
        map.put(name, v);
      }
    }
    return map;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readValueMap(JsonParser p, String field) throws IOException, EnvelopeException {
    expectObject(p, field);
    return (Map<String, Object>) JsonValues.read(p);
  }

  private static List<String> readStrings(JsonParser p, String field) throws IOException, EnvelopeException {
    expect(p, JsonToken.START_ARRAY, field, "an array");
    List<String> list = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String v = string(p, field + "[]");
      if (v != null) {
        list.add(v);
      }
    }
    return list;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
