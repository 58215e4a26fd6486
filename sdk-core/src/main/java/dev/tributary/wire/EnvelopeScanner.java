package dev.tributary.wire;

import com.fasterxml.jackson.core.io.NumberInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast paths of {@link EnvelopeCodec.Decoder}, for the records consumers see millions of times.
 * It reads the bytes directly (no parser object, no character decoding, field names matched as
 * bytes) and fills an {@link EnvelopeReader}'s fields, which then checks them exactly as after a
 * Jackson read:
 * <ul>
 *   <li>{@link #scanMetric}: a metric envelope in plain JSON, read completely; {@code build()}
 *       makes the envelope.</li>
 *   <li>{@link #scanDocument}: a log or event envelope, of which only the header (and an event's
 *       domain) is read; every other member is checked as the Jackson path checks it (types,
 *       escapes, UTF-8) without being read, for consumers that pass the record on as it is
 *       ({@code header()}).</li>
 * </ul>
 *
 * <p>It accepts only what it can read with certainty to the same values as the Jackson path:
 * strict JSON, the values it reads as strings of printable ASCII without escapes, integers of at
 * most 18 digits, and the members its path knows (unknown ones are skipped, as there). Anything
 * else (another envelope type, an escape or a non-ASCII byte in a value it reads, a value of the
 * wrong type, a malformed document) makes it return {@code false}; the caller then reads the
 * record with Jackson, which produces the envelope or the exact error. So this class never decides
 * that a record is invalid, it only declines.
 *
 * <p>Not thread-safe: one per {@link DecodeCache}.
 */
final class EnvelopeScanner {
  private static final int MAX_DEPTH = 32;
  private static final int MAX_NUMBER_LENGTH = 64;
  private static final int MAX_LONG_DIGITS = 18;
  /** Decimal fractions of at most this many digits are read without the parser: their digits are below 2^53. */
  private static final int MAX_EXACT_DIGITS = 15;
  private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
      1e13, 1e14, 1e15};
  /**
   * Longer member names are declined: Jackson refuses names over 50,000 characters
   * ({@code StreamReadConstraints}), and no envelope has names anywhere near this.
   */
  private static final int MAX_NAME_BYTES = 1024;
  /** Longer records are declined: no string in them can then reach Jackson's 20,000,000-character limit. */
  private static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

  private static final byte[] TIMESTAMP = ascii("@timestamp");
  private static final byte[] TRIBUTARY = ascii("tributary");
  private static final byte[] SERVICE = ascii("service");
  private static final byte[] LABELS = ascii("labels");
  private static final byte[] METRIC = ascii("metric");
  private static final byte[] SCHEMA = ascii("schema");
  private static final byte[] TYPE = ascii("type");
  private static final byte[] RUN = ascii("run");
  private static final byte[] STREAM = ascii("stream");
  private static final byte[] SEQ = ascii("seq");
  private static final byte[] NAME = ascii("name");
  private static final byte[] VERSION = ascii("version");
  private static final byte[] ENVIRONMENT = ascii("environment");
  private static final byte[] NODE = ascii("node");
  private static final byte[] HELP = ascii("help");
  private static final byte[] UNIT = ascii("unit");
  private static final byte[] START = ascii("start");
  private static final byte[] VALUE = ascii("value");
  private static final byte[] COUNT = ascii("count");
  private static final byte[] SUM = ascii("sum");
  private static final byte[] BUCKETS = ascii("buckets");
  private static final byte[] QUANTILES = ascii("quantiles");
  private static final byte[] LE = ascii("le");
  private static final byte[] QUANTILE = ascii("quantile");
  private static final byte[] LOG = ascii("log");
  private static final byte[] MESSAGE = ascii("message");
  private static final byte[] PROCESS = ascii("process");
  private static final byte[] ERROR = ascii("error");
  private static final byte[] CORRELATION = ascii("correlation");
  private static final byte[] TRACE = ascii("trace");
  private static final byte[] SPAN = ascii("span");
  private static final byte[] FIELDS = ascii("fields");
  private static final byte[] ATTRIBUTES = ascii("attributes");
  private static final byte[] TAGS = ascii("tags");
  private static final byte[] EVENT = ascii("event");
  private static final byte[] HEALTH = ascii("health");
  private static final byte[] LEVEL = ascii("level");
  private static final byte[] LOGGER = ascii("logger");
  private static final byte[] ORIGIN = ascii("origin");
  private static final byte[] FUNCTION = ascii("function");
  private static final byte[] FILE = ascii("file");
  private static final byte[] LINE = ascii("line");
  private static final byte[] THREAD = ascii("thread");
  private static final byte[] STACK_TRACE = ascii("stack_trace");
  private static final byte[] ID = ascii("id");
  private static final byte[] DOMAIN = ascii("domain");
  private static final byte[] ENTITY_ID = ascii("entity_id");
  /** Top-level fields of the other envelope types: the Jackson path reads those. */
  private static final byte[][] OTHER_TYPES = {LOG, MESSAGE, PROCESS, ERROR, CORRELATION, TRACE, SPAN, FIELDS,
      ATTRIBUTES, TAGS, EVENT, HEALTH};
  private static final byte[] NAN = ascii("NaN");
  private static final byte[] POSITIVE_INFINITY = ascii("+Inf");
  private static final byte[] NEGATIVE_INFINITY = ascii("-Inf");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] NULL = ascii("null");

  /** Thrown to decline; preallocated and without a stack trace, it costs no more than a return. */
  private static final class Decline extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Decline() {
      super(null, null, false, false);
    }
  }

  private static final Decline DECLINE = new Decline();

  /** "Not set by the object", distinct from every string the cache returns and from {@code null}. */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String UNSET = new String("");
  /** Longest {@code service} object or {@code tributary} prefix remembered, in bytes. */
  private static final int MAX_REMEMBERED = 512;

  /** Slots of the table of remembered metric object prefixes (a power of two). */
  private static final int METRIC_PREFIX_SLOTS = 1024;

  private final DecodeCache cache;
  private final MetricPrefix[] metricPrefixes = new MetricPrefix[METRIC_PREFIX_SLOTS];
  private final char[] number = new char[MAX_NUMBER_LENGTH];
  // The previous record's tributary object up to its seq value: its bytes and the fields they set
  // (UNSET: not set by them).
  private final byte[] lastHeader = new byte[MAX_REMEMBERED];
  private int lastHeaderLength;
  private String lastSchema;
  private String lastType;
  private String lastRun;
  private String lastStream;
  // The previous record's service object: its bytes and the fields it set (UNSET: not set by it).
  private final byte[] lastService = new byte[MAX_REMEMBERED];
  private int lastServiceLength;
  private String lastServiceName;
  private String lastVersion;
  private String lastEnvironment;
  private String lastInstance;
  private byte[] b;
  private int pos;
  private int end;
  // The current string token, after string(): [stringStart, stringEnd) of b, or null.
  private int stringStart;
  private int stringEnd;
  // The current number token, after numberToken(): a long if integral, else its text in `number`.
  private boolean integral;
  private long longValue;
  private int numberLength;
  // ... and if it is a decimal fraction read exactly without the parser: its value.
  private boolean exact;
  private double exactValue;

  // Where the values that change between the samples of a series lie in the record scanMetric
  // read last, for SeriesDecoder: per slot its kind (| index << 8 for buckets and quantiles) and
  // its token's [start, end), in the order read. repeatable: the whole record was read here. A
  // value given twice is two slots, read again in the same order, so the last one counts there too.
  static final int SLOT_TIMESTAMP = 1;
  static final int SLOT_SEQ = 2;
  static final int SLOT_VALUE = 3;
  static final int SLOT_COUNT = 4;
  static final int SLOT_SUM = 5;
  static final int SLOT_BUCKET = 6;
  static final int SLOT_QUANTILE = 7;
  private int[] slotKinds = new int[16];
  private int[] slotBounds = new int[32];
  private int slots;
  private boolean repeatable;
  /** Where the top-level {@code metric} member's name starts (its quote) in that record, or -1. */
  private int metricKeyAt;
  // Scratch of repeat(): a histogram's bucket counts or a summary's quantile values, by index.
  private long[] repeatCounts = new long[16];
  private double[] repeatValues = new double[16];

  EnvelopeScanner(DecodeCache cache) {
    this.cache = cache;
  }

  /**
   * Reads a metric envelope's fields into {@code r}.
   *
   * @return {@code false} if the record is outside the fast path ({@code r} must then be discarded)
   */
  boolean scanMetric(EnvelopeReader r, byte[] bytes, int offset, int length) {
    if (length > MAX_RECORD_BYTES) {
      return false;
    }
    b = bytes;
    pos = offset;
    end = offset + length;
    slots = 0;
    metricKeyAt = -1;
    repeatable = offset == 0 && length == bytes.length;
    try {
      ws();
      expect('{');
      if (!firstMember()) {
        return true;
      }
      do {
        int ks = stringStart;
        int ke = stringEnd;
        colon();
        if (is(ks, ke, TIMESTAMP)) {
          ws();
          int at = pos;
          r.timestamp = timestamp(false);
          slot(SLOT_TIMESTAMP, 0, at);
        } else if (is(ks, ke, TRIBUTARY)) {
          tributary(r);
        } else if (is(ks, ke, SERVICE)) {
          service(r);
        } else if (is(ks, ke, LABELS)) {
          r.labels = labels();
        } else if (is(ks, ke, METRIC)) {
          if (metricKeyAt < 0) {
            metricKeyAt = ks - 1;
          }
          metric(r);
        } else {
          for (byte[] other : OTHER_TYPES) {
            if (is(ks, ke, other)) {
              return false;
            }
          }
          skipValue(0);
        }
      } while (nextMember());
      return true;
    } catch (Decline | ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
      repeatable = false;
      return false; // IllegalArgumentException: a timestamp or number the parsers refused
    } finally {
      b = null;
    }
  }

  /** Notes that the value just read, from {@code start} to {@link #pos}, is a slot. */
  private void slot(int kind, int index, int start) {
    if (slots == slotKinds.length) {
      slotKinds = Arrays.copyOf(slotKinds, slots * 2);
      slotBounds = Arrays.copyOf(slotBounds, slots * 4);
    }
    slotKinds[slots] = kind | index << 8;
    slotBounds[2 * slots] = start;
    slotBounds[2 * slots + 1] = pos;
    slots++;
  }

  private long slotLong(int kind, int index) {
    ws();
    int at = pos;
    long v = longValue();
    slot(kind, index, at);
    return v;
  }

  private double slotDouble(int kind, int index) {
    ws();
    int at = pos;
    double v = doubleValue();
    slot(kind, index, at);
    return v;
  }

  /**
   * Whether the record {@link #scanMetric} read last (whole, from offset 0) can be a
   * {@link SeriesTemplate}: it was read here, not declined.
   */
  boolean repeatable() {
    return repeatable;
  }

  /** The slots of the record {@link #scanMetric} read last, for a {@link SeriesTemplate}. */
  int slots() {
    return slots;
  }

  int slotKind(int i) {
    return slotKinds[i];
  }

  int slotStart(int i) {
    return slotBounds[2 * i];
  }

  int slotEnd(int i) {
    return slotBounds[2 * i + 1];
  }

  /** Where the record's top-level {@code metric} member starts, or -1. */
  int metricKeyAt() {
    return metricKeyAt;
  }

  /**
   * {@code value}, read as a repeat of {@code t}'s record: its bytes outside the slots must be
   * {@code t}'s, and each slot's value is read as {@link #scanMetric} reads it. Returns the
   * envelope {@code build()} would make of it, or {@code null} to decline (the caller then decodes
   * the record), also for any value {@code build()} would refuse.
   */
  MetricEnvelope repeat(SeriesTemplate t, byte[] value) {
    double[] bounds = t.bounds;
    int n = bounds == null ? 0 : bounds.length;
    if (repeatCounts.length < n) {
      repeatCounts = new long[n];
      repeatValues = new double[n];
    }
    long[] bucketCounts = repeatCounts;
    double[] quantileValues = repeatValues;
    MetricEnvelope.MetricKind kind = t.kind;
    if (kind == MetricEnvelope.MetricKind.SUMMARY) {
      Arrays.fill(quantileValues, 0, n, Double.NaN); // a quantile without a value
    }
    long timestamp = t.timestamp;
    long seq = t.seq;
    double v = t.value;
    long count = t.count;
    double sum = t.sum;
    b = value;
    end = value.length;
    try {
      int p = 0;
      int c = 0;
      int[] slotData = t.slotData;
      for (int i = 0; i < t.slots; i++) {
        int gap = slotData[2 * i + 1];
        if (!t.constantsAt(value, p, c, gap)) {
          return null;
        }
        pos = p + gap;
        c += gap;
        int slot = slotData[2 * i];
        switch (slot & 0xff) {
          case SLOT_TIMESTAMP -> timestamp = timestamp(false);
          case SLOT_SEQ -> seq = nonNegative(longValue());
          case SLOT_VALUE -> v = doubleValue();
          case SLOT_COUNT -> count = nonNegative(longValue());
          case SLOT_SUM -> sum = doubleValue();
          case SLOT_BUCKET -> bucketCounts[slot >>> 8] = nonNegative(longValue());
          case SLOT_QUANTILE -> quantileValues[slot >>> 8] = doubleValue();
          default -> throw new IllegalStateException("slot kind " + slot);
        }
        p = pos;
      }
      int rest = t.constants() - c;
      if (rest != end - p || !t.constantsAt(value, p, c, rest)) {
        return null;
      }
    } catch (Decline | ArrayIndexOutOfBoundsException | IllegalArgumentException ex) {
      return null;
    } finally {
      b = null;
    }
    MetricEnvelope.Histogram h = null;
    MetricEnvelope.Summary sm = null;
    if (kind == MetricEnvelope.MetricKind.HISTOGRAM) {
      if (Double.isNaN(sum)) {
        return null; // build() names the error
      }
      MetricEnvelope.Bucket[] buckets = new MetricEnvelope.Bucket[n];
      for (int i = 0; i < n; i++) {
        buckets[i] = new MetricEnvelope.Bucket(bounds[i], bucketCounts[i]);
      }
      h = new MetricEnvelope.Histogram(List.of(buckets), count, sum);
    } else if (kind == MetricEnvelope.MetricKind.SUMMARY) {
      if (Double.isNaN(sum)) {
        return null;
      }
      MetricEnvelope.Quantile[] quantiles = new MetricEnvelope.Quantile[n];
      for (int i = 0; i < n; i++) {
        quantiles[i] = new MetricEnvelope.Quantile(bounds[i], quantileValues[i]);
      }
      sm = new MetricEnvelope.Summary(List.of(quantiles), count, sum);
    }
    return new MetricEnvelope(timestamp, t.source, t.stream, seq, t.name, kind, t.help, t.unit, t.start, t.labels,
        h == null && sm == null ? v : Double.NaN, h, sm);
  }

  /** A count or sequence number; a negative one declines ({@code build()} refuses it). */
  private static long nonNegative(long v) {
    if (v < 0) {
      throw DECLINE;
    }
    return v;
  }

  /**
   * The {@code tributary} object. Its bytes up to the value of {@code seq} (schema, type, run and
   * stream, in the writer's order) are usually the previous record's: then the fields they set are
   * set again without reading them, and reading goes on at the {@code seq} value.
   */
  private void tributary(EnvelopeReader r) {
    int from = pos;
    int n = lastHeaderLength;
    if (n > 0 && end - from >= n && Arrays.equals(b, from, from + n, lastHeader, 0, n)) {
      pos = from + n;
      r.schema = setOr(lastSchema, r.schema);
      r.type = setOr(lastType, r.type);
      r.run = setOr(lastRun, r.run);
      r.stream = setOr(lastStream, r.stream);
      r.seq = slotLong(SLOT_SEQ, 0);
      while (nextMember()) {
        tributaryMember(r);
      }
      return;
    }
    String schema = r.schema;
    String type = r.type;
    String run = r.run;
    String stream = r.stream;
    r.schema = r.type = r.run = r.stream = UNSET;
    lastHeaderLength = 0;
    expect('{');
    if (firstMember()) {
      do {
        if (lastHeaderLength == 0 && is(stringStart, stringEnd, SEQ)) {
          int keyEnd = pos;
          colon();
          rememberHeader(r, from, pos);
          pos = keyEnd;
        }
        tributaryMember(r);
      } while (nextMember());
    }
    r.schema = setOr(r.schema, schema);
    r.type = setOr(r.type, type);
    r.run = setOr(r.run, run);
    r.stream = setOr(r.stream, stream);
  }

  /** {@code value} unless it is {@link #UNSET} (not set by the object read), else {@code otherwise}. */
  private static String setOr(String value, String otherwise) {
    return value != UNSET ? value : otherwise;
  }

  /** Remembers the bytes {@code [from, to)}, up to the first {@code seq} value, and what they set. */
  private void rememberHeader(EnvelopeReader r, int from, int to) {
    int n = to - from;
    if (n > lastHeader.length) {
      return;
    }
    System.arraycopy(b, from, lastHeader, 0, n);
    lastHeaderLength = n;
    lastSchema = r.schema;
    lastType = r.type;
    lastRun = r.run;
    lastStream = r.stream;
  }

  /** One member of the {@code tributary} object, its name read. */
  private void tributaryMember(EnvelopeReader r) {
    int ks = stringStart;
    int ke = stringEnd;
    colon();
    if (is(ks, ke, SCHEMA)) {
      r.schema = stringOrNull();
    } else if (is(ks, ke, TYPE)) {
      r.type = stringOrNull();
    } else if (is(ks, ke, RUN)) {
      r.run = stringOrNull();
    } else if (is(ks, ke, STREAM)) {
      r.stream = stringOrNull();
    } else if (is(ks, ke, SEQ)) {
      r.seq = slotLong(SLOT_SEQ, 0);
    } else {
      skipValue(1);
    }
  }

  /**
   * The {@code service} object. A sender's records come in runs (every series of a step), so its
   * bytes are usually exactly the previous record's: then the fields it set then are set again
   * without reading it (equal bytes parse to equal values and end at the same place).
   */
  private void service(EnvelopeReader r) {
    int from = pos;
    int n = lastServiceLength;
    if (n > 0 && end - from >= n && Arrays.equals(b, from, from + n, lastService, 0, n)) {
      pos = from + n;
      replay(r);
      return;
    }
    String service = r.service;
    String version = r.version;
    String environment = r.environment;
    String instance = r.instance;
    r.service = r.version = r.environment = r.instance = UNSET;
    readService(r);
    lastServiceName = r.service;
    lastVersion = r.version;
    lastEnvironment = r.environment;
    lastInstance = r.instance;
    n = pos - from;
    if (n <= lastService.length) {
      System.arraycopy(b, from, lastService, 0, n);
      lastServiceLength = n;
    } else {
      lastServiceLength = 0;
    }
    // Fields the object did not set keep what they had before it.
    r.service = setOr(r.service, service);
    r.version = setOr(r.version, version);
    r.environment = setOr(r.environment, environment);
    r.instance = setOr(r.instance, instance);
  }

  /** Sets the fields the remembered {@code service} object set. */
  private void replay(EnvelopeReader r) {
    r.service = setOr(lastServiceName, r.service);
    r.version = setOr(lastVersion, r.version);
    r.environment = setOr(lastEnvironment, r.environment);
    r.instance = setOr(lastInstance, r.instance);
  }

  private void readService(EnvelopeReader r) {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      int ks = stringStart;
      int ke = stringEnd;
      colon();
      if (is(ks, ke, NAME)) {
        r.service = stringOrNull();
      } else if (is(ks, ke, VERSION)) {
        r.version = stringOrNull();
      } else if (is(ks, ke, ENVIRONMENT)) {
        r.environment = stringOrNull();
      } else if (is(ks, ke, NODE)) {
        expect('{');
        if (firstMember()) {
          do {
            int ns = stringStart;
            int ne = stringEnd;
            colon();
            if (is(ns, ne, NAME)) {
              r.instance = stringOrNull();
            } else {
              skipValue(2);
            }
          } while (nextMember());
        }
      } else {
        skipValue(1);
      }
    } while (nextMember());
  }

  /**
   * The {@code labels} object: a series' records repeat it byte for byte, so it is checked without
   * being read and, if the cache holds a map of the same bytes, that map is the value (equal bytes
   * read to an equal map); else it is read and the map, unmodifiable, is remembered.
   */
  private Map<String, String> labels() {
    int from = pos;
    skipLabels();
    Map<String, String> held = cache.labels(b, from, pos - from);
    if (held != null) {
      return held;
    }
    int to = pos;
    pos = from;
    Map<String, String> map = Collections.unmodifiableMap(readLabels());
    cache.rememberLabels(b, from, to - from, map);
    return map;
  }

  /** Checks a {@code labels} object as {@link #readLabels} reads it, without reading it. */
  private void skipLabels() {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      colon();
      if (peek() == 'n') {
        literal(NULL);
      } else {
        string();
      }
    } while (nextMember());
  }

  private Map<String, String> readLabels() {
    expect('{');
    Map<String, String> map = new LinkedHashMap<>(4);
    if (!firstMember()) {
      return map;
    }
    do {
      String name = cache.lookup(b, stringStart, stringEnd - stringStart);
      colon();
      String v = stringOrNull();
      if (v != null) {
        map.put(name, v);
      }
    } while (nextMember());
    return map;
  }

  /**
   * The {@code metric} object. Its members before the first sample member ({@code value},
   * {@code count}, {@code sum}, {@code buckets}, {@code quantiles}) are the series' name, type, help,
   * unit and start, which every record of the series repeats byte for byte: they are remembered per
   * series (a table keyed by the object's first member) with the fields they set, and equal bytes
   * set those fields again without being read; reading goes on at the first sample member's value.
   */
  private void metric(EnvelopeReader r) {
    expect('{');
    int from = pos;
    int slot = metricPrefixSlot(from);
    MetricPrefix memo = metricPrefixes[slot];
    if (memo != null && end - from >= memo.bytes.length
        && Arrays.equals(b, from, from + memo.bytes.length, memo.bytes, 0, memo.bytes.length)) {
      pos = from + memo.bytes.length;
      memo.apply(r);
      metricMember(r, from + memo.keyStart, from + memo.keyEnd);
      while (nextMember()) {
        int ks = stringStart;
        int ke = stringEnd;
        colon();
        metricMember(r, ks, ke);
      }
      return;
    }
    String name = r.metricName;
    String metricType = r.metricType;
    String help = r.help;
    String unit = r.unit;
    long start = r.start;
    r.metricName = r.metricType = r.help = r.unit = UNSET;
    r.start = Long.MIN_VALUE;
    if (firstMember()) {
      boolean prefix = true;
      do {
        int ks = stringStart;
        int ke = stringEnd;
        colon();
        if (prefix && isSampleMember(ks, ke)) {
          prefix = false;
          int n = pos - from;
          if (n <= MAX_REMEMBERED) {
            metricPrefixes[slot] = new MetricPrefix(Arrays.copyOfRange(b, from, pos), ks - from, ke - from, r);
          }
        }
        metricMember(r, ks, ke);
      } while (nextMember());
    }
    // Fields the object did not set keep what they had before it.
    r.metricName = setOr(r.metricName, name);
    r.metricType = setOr(r.metricType, metricType);
    r.help = setOr(r.help, help);
    r.unit = setOr(r.unit, unit);
    r.start = r.start == Long.MIN_VALUE ? start : r.start;
  }

  /** One member of the {@code metric} object, its name at {@code [ks, ke)}, its value next. */
  private void metricMember(EnvelopeReader r, int ks, int ke) {
    if (is(ks, ke, NAME)) {
      r.metricName = stringOrNull();
    } else if (is(ks, ke, TYPE)) {
      r.metricType = stringOrNull();
    } else if (is(ks, ke, HELP)) {
      r.help = stringOrNull();
    } else if (is(ks, ke, UNIT)) {
      r.unit = stringOrNull();
    } else if (is(ks, ke, START)) {
      r.start = timestamp(true);
    } else if (is(ks, ke, VALUE)) {
      r.value = slotDouble(SLOT_VALUE, 0);
      r.hasValue = true;
    } else if (is(ks, ke, COUNT)) {
      r.count = slotLong(SLOT_COUNT, 0);
    } else if (is(ks, ke, SUM)) {
      r.sum = slotDouble(SLOT_SUM, 0);
    } else if (is(ks, ke, BUCKETS)) {
      r.buckets = buckets();
    } else if (is(ks, ke, QUANTILES)) {
      r.quantiles = quantiles();
    } else {
      skipValue(1);
    }
  }

  private boolean isSampleMember(int ks, int ke) {
    return is(ks, ke, VALUE) || is(ks, ke, COUNT) || is(ks, ke, SUM) || is(ks, ke, BUCKETS) || is(ks, ke, QUANTILES);
  }

  /**
   * The slot of the metric object starting at {@code from} in {@link #metricPrefixes}: a hash of its
   * bytes up to the fourth quote (the first member's string value, normally the metric name), at
   * most 256 bytes. Only a hash: the whole remembered prefix is compared before it is used.
   */
  private int metricPrefixSlot(int from) {
    int limit = Math.min(end, from + 256);
    int p = from;
    int quotes = 0;
    while (p < limit) {
      if (p + 8 <= limit) { // eight bytes at a time to the next quote (or other special byte)
        long special = Swar.special((long) Swar.LONG.get(b, p));
        if (special == 0) {
          p += 8;
          continue;
        }
        p += Long.numberOfTrailingZeros(special) >>> 3;
      }
      if (b[p] == '"' && ++quotes == 4) {
        break;
      }
      p++;
    }
    int h = DecodeCache.hash(b, from, p - from);
    return (h ^ (h >>> 16)) & (METRIC_PREFIX_SLOTS - 1);
  }

  /**
   * The members of a metric object before its first sample member, from after its {@code '{'} to
   * that member's value, and the fields they set ({@link #UNSET}, or {@code Long.MIN_VALUE} for the
   * start: not set by them).
   */
  private static final class MetricPrefix {
    final byte[] bytes;
    final int keyStart;
    final int keyEnd;
    final String name;
    final String type;
    final String help;
    final String unit;
    final long start;

    MetricPrefix(byte[] bytes, int keyStart, int keyEnd, EnvelopeReader r) {
      this.bytes = bytes;
      this.keyStart = keyStart;
      this.keyEnd = keyEnd;
      this.name = r.metricName;
      this.type = r.metricType;
      this.help = r.help;
      this.unit = r.unit;
      this.start = r.start;
    }

    void apply(EnvelopeReader r) {
      r.metricName = setOr(name, r.metricName);
      r.metricType = setOr(type, r.metricType);
      r.help = setOr(help, r.help);
      r.unit = setOr(unit, r.unit);
      if (start != Long.MIN_VALUE) {
        r.start = start;
      }
    }
  }

  private List<MetricEnvelope.Bucket> buckets() {
    expect('[');
    List<MetricEnvelope.Bucket> list = new ArrayList<>(16);
    ws();
    if (peek() == ']') {
      pos++;
      return list;
    }
    do {
      ws();
      expect('{');
      double le = Double.NaN;
      long c = -1;
      if (firstMember()) {
        do {
          int ks = stringStart;
          int ke = stringEnd;
          colon();
          if (is(ks, ke, LE)) {
            le = doubleValue();
          } else if (is(ks, ke, COUNT)) {
            c = slotLong(SLOT_BUCKET, list.size());
          } else {
            skipValue(3);
          }
        } while (nextMember());
      }
      if (Double.isNaN(le) || c < 0) {
        throw DECLINE;
      }
      list.add(new MetricEnvelope.Bucket(le, c));
    } while (nextElement());
    return list;
  }

  private List<MetricEnvelope.Quantile> quantiles() {
    expect('[');
    List<MetricEnvelope.Quantile> list = new ArrayList<>(8);
    ws();
    if (peek() == ']') {
      pos++;
      return list;
    }
    do {
      ws();
      expect('{');
      double q = Double.NaN;
      double v = Double.NaN;
      if (firstMember()) {
        do {
          int ks = stringStart;
          int ke = stringEnd;
          colon();
          if (is(ks, ke, QUANTILE)) {
            q = doubleValue();
          } else if (is(ks, ke, VALUE)) {
            v = slotDouble(SLOT_QUANTILE, list.size());
          } else {
            skipValue(3);
          }
        } while (nextMember());
      }
      if (!(q >= 0 && q <= 1)) {
        throw DECLINE;
      }
      list.add(new MetricEnvelope.Quantile(q, v));
    } while (nextElement());
    return list;
  }

  /**
   * Reads a log or event envelope's header (and an event's {@code event.domain}) into {@code r} and
   * checks every other member as the Jackson path would read it, without reading it: the fields
   * {@code header()} requires get {@link EnvelopeReader#UNREAD} (or {@code null} for a JSON null).
   *
   * @return {@code false} if the record is outside the fast path ({@code r} must then be discarded),
   *     among others for any other envelope type
   */
  boolean scanDocument(EnvelopeReader r, byte[] bytes, int offset, int length) {
    if (length > MAX_RECORD_BYTES) {
      return false;
    }
    b = bytes;
    pos = offset;
    end = offset + length;
    try {
      ws();
      expect('{');
      if (!firstMember()) {
        return false;
      }
      do {
        int ks = stringStart;
        int ke = stringEnd;
        colon();
        if (is(ks, ke, TIMESTAMP)) {
          r.timestamp = timestamp(false);
        } else if (is(ks, ke, TRIBUTARY)) {
          tributary(r);
        } else if (is(ks, ke, SERVICE)) {
          service(r);
        } else if (is(ks, ke, LOG)) {
          log(r);
        } else if (is(ks, ke, MESSAGE)) {
          r.message = checkedString();
        } else if (is(ks, ke, PROCESS)) {
          process();
        } else if (is(ks, ke, ERROR)) {
          error(r);
        } else if (is(ks, ke, CORRELATION) || is(ks, ke, TRACE) || is(ks, ke, SPAN)) {
          id();
        } else if (is(ks, ke, LABELS)) {
          stringMap();
        } else if (is(ks, ke, FIELDS) || is(ks, ke, ATTRIBUTES)) {
          if (peek() != '{') {
            throw DECLINE;
          }
          skipValue(1);
        } else if (is(ks, ke, TAGS)) {
          strings();
        } else if (is(ks, ke, EVENT)) {
          event(r);
        } else if (is(ks, ke, METRIC) || is(ks, ke, HEALTH)) {
          return false;
        } else {
          skipValue(0);
        }
      } while (nextMember());
      return "log".equals(r.type) || "event".equals(r.type);
    } catch (Decline | ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
      return false;
    } finally {
      b = null;
    }
  }

  private void log(EnvelopeReader r) {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      int ks = stringStart;
      int ke = stringEnd;
      colon();
      if (is(ks, ke, LEVEL)) {
        r.level = checkedString();
      } else if (is(ks, ke, LOGGER)) {
        checkedString();
      } else if (is(ks, ke, ORIGIN)) {
        origin();
      } else {
        skipValue(1);
      }
    } while (nextMember());
  }

  private void origin() {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      int ks = stringStart;
      int ke = stringEnd;
      colon();
      if (is(ks, ke, FUNCTION)) {
        checkedString();
      } else if (is(ks, ke, FILE)) {
        expect('{');
        if (firstMember()) {
          do {
            int fs = stringStart;
            int fe = stringEnd;
            colon();
            if (is(fs, fe, NAME)) {
              checkedString();
            } else if (is(fs, fe, LINE)) {
              longValue();
            } else {
              skipValue(3);
            }
          } while (nextMember());
        }
      } else {
        skipValue(2);
      }
    } while (nextMember());
  }

  private void process() {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      int ks = stringStart;
      int ke = stringEnd;
      colon();
      if (is(ks, ke, THREAD)) {
        expect('{');
        if (firstMember()) {
          do {
            int ts = stringStart;
            int te = stringEnd;
            colon();
            if (is(ts, te, NAME)) {
              checkedString();
            } else {
              skipValue(2);
            }
          } while (nextMember());
        }
      } else {
        skipValue(1);
      }
    } while (nextMember());
  }

  private void error(EnvelopeReader r) {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      int ks = stringStart;
      int ke = stringEnd;
      colon();
      if (is(ks, ke, TYPE)) {
        r.errorType = checkedString();
      } else if (is(ks, ke, MESSAGE)) {
        r.errorMessage = checkedString();
      } else if (is(ks, ke, STACK_TRACE)) {
        r.errorStack = checkedString();
      } else {
        skipValue(1);
      }
    } while (nextMember());
  }

  /** {@code correlation}, {@code trace}, {@code span}: an object whose {@code id} is a string. */
  private void id() {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      int ks = stringStart;
      int ke = stringEnd;
      colon();
      if (is(ks, ke, ID)) {
        checkedString();
      } else {
        skipValue(1);
      }
    } while (nextMember());
  }

  private void event(EnvelopeReader r) {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      int ks = stringStart;
      int ke = stringEnd;
      colon();
      if (is(ks, ke, DOMAIN)) {
        r.domain = stringOrNull();
      } else if (is(ks, ke, NAME)) {
        r.eventName = checkedString();
      } else if (is(ks, ke, ENTITY_ID)) {
        checkedString();
      } else {
        skipValue(1);
      }
    } while (nextMember());
  }

  /** {@code labels}: an object of strings (or nulls). */
  private void stringMap() {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      colon();
      checkedString();
    } while (nextMember());
  }

  /** {@code tags}: an array of strings (or nulls). */
  private void strings() {
    expect('[');
    ws();
    if (peek() == ']') {
      pos++;
      return;
    }
    do {
      checkedString();
    } while (nextElement());
  }

  // --- values ---------------------------------------------------------------------------------

  /** A string (from the cache) or {@code null}; anything else declines. */
  private String stringOrNull() {
    ws();
    if (peek() == 'n') {
      literal(NULL);
      return null;
    }
    string();
    return cache.lookup(b, stringStart, stringEnd - stringStart);
  }

  /** A string checked but not read ({@link EnvelopeReader#UNREAD}), or {@code null}; anything else declines. */
  private String checkedString() {
    ws();
    if (peek() == 'n') {
      literal(NULL);
      return null;
    }
    skipString();
    return EnvelopeReader.UNREAD;
  }

  /** A timestamp string; {@code null} or anything else declines (the Jackson path names the error). */
  private long timestamp(boolean start) {
    ws();
    string();
    return cache.timestamp(b, stringStart, stringEnd - stringStart, start);
  }

  private long longValue() {
    ws();
    numberToken();
    if (!integral) {
      throw DECLINE;
    }
    return longValue;
  }

  /** A number, or one of the strings {@code NaN}, {@code +Inf}, {@code -Inf}. */
  private double doubleValue() {
    ws();
    if (peek() == '"') {
      string();
      if (is(stringStart, stringEnd, NAN)) {
        return Double.NaN;
      }
      if (is(stringStart, stringEnd, POSITIVE_INFINITY)) {
        return Double.POSITIVE_INFINITY;
      }
      if (is(stringStart, stringEnd, NEGATIVE_INFINITY)) {
        return Double.NEGATIVE_INFINITY;
      }
      throw DECLINE;
    }
    numberToken();
    return integral ? (double) longValue : exact ? exactValue : NumberInput.parseDouble(number, 0, numberLength, true);
  }

  /**
   * A JSON number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, followed by a delimiter.
   * Integers of at most 18 digits become {@link #longValue}; other numbers are copied to
   * {@link #number}; longer integers decline.
   */
  private void numberToken() {
    int start = pos;
    boolean negative = false;
    if (peek() == '-') {
      negative = true;
      pos++;
    }
    int digitsStart = pos;
    byte c = peek();
    if (c == '0') {
      pos++;
    } else if (c >= '1' && c <= '9') {
      while (pos < end && isDigit(b[pos])) {
        pos++;
      }
    } else {
      throw DECLINE;
    }
    int digits = pos - digitsStart;
    boolean fraction = false;
    int fractionStart = -1;
    if (pos < end && b[pos] == '.') {
      fraction = true;
      pos++;
      fractionStart = pos;
      requireDigits();
    }
    exact = false;
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      fractionStart = -1;
      fraction = true;
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      requireDigits();
    }
    if (pos < end && !isDelimiter(b[pos])) {
      throw DECLINE; // e.g. 01, 1x
    }
    if (!fraction) {
      if (digits > MAX_LONG_DIGITS) {
        throw DECLINE;
      }
      long v = 0;
      for (int i = digitsStart; i < pos; i++) {
        v = v * 10 + (b[i] - '0');
      }
      integral = true;
      longValue = negative ? -v : v;
      return;
    }
    int fractionDigits = pos - fractionStart;
    if (fractionStart >= 0 && digits + fractionDigits <= MAX_EXACT_DIGITS) {
      // Both the digits as an integer (below 2^53) and the power of ten are exact doubles, so one
      // division is correctly rounded: the value Jackson's parser reads (Clinger's fast path).
      long v = 0;
      for (int i = digitsStart; i < fractionStart - 1; i++) {
        v = v * 10 + (b[i] - '0');
      }
      for (int i = fractionStart; i < pos; i++) {
        v = v * 10 + (b[i] - '0');
      }
      double d = v / POWERS_OF_TEN[fractionDigits];
      integral = false;
      exact = true;
      exactValue = negative ? -d : d;
      return;
    }
    int len = pos - start;
    if (len > MAX_NUMBER_LENGTH) {
      throw DECLINE;
    }
    for (int i = 0; i < len; i++) {
      number[i] = (char) b[start + i];
    }
    integral = false;
    numberLength = len;
  }

  private void requireDigits() {
    int from = pos;
    while (pos < end && isDigit(b[pos])) {
      pos++;
    }
    if (pos == from) {
      throw DECLINE;
    }
  }

  /** Skips one value of any type, checking that it is well-formed. */
  private void skipValue(int depth) {
    if (depth > MAX_DEPTH) {
      throw DECLINE;
    }
    ws();
    switch (peek()) {
      case '"' -> skipString();
      case '{' -> {
        pos++;
        if (firstMember()) {
          do {
            colon();
            skipValue(depth + 1);
          } while (nextMember());
        }
      }
      case '[' -> {
        pos++;
        ws();
        if (peek() == ']') {
          pos++;
        } else {
          do {
            skipValue(depth + 1);
          } while (nextElement());
        }
      }
      case 't' -> literal(TRUE);
      case 'f' -> literal(FALSE);
      case 'n' -> literal(NULL);
      default -> numberToken();
    }
  }

  // --- structure ------------------------------------------------------------------------------

  /** After {@code '{'}: {@code false} for an empty object, else reads the first member's name. */
  private boolean firstMember() {
    ws();
    if (peek() == '}') {
      pos++;
      return false;
    }
    name();
    return true;
  }

  /** After a member's value: {@code true} and the next member's name, or {@code false} at {@code '}'}. */
  private boolean nextMember() {
    ws();
    byte c = next();
    if (c == ',') {
      ws();
      name();
      return true;
    }
    if (c == '}') {
      return false;
    }
    throw DECLINE;
  }

  /** After an array element: {@code true} if another follows, {@code false} at {@code ']'}. */
  private boolean nextElement() {
    ws();
    byte c = next();
    if (c == ',') {
      return true;
    }
    if (c == ']') {
      return false;
    }
    throw DECLINE;
  }

  private void colon() {
    ws();
    expect(':');
    ws();
  }

  /**
   * A string of printable ASCII without escapes; sets {@link #stringStart}/{@link #stringEnd}.
   * Eight bytes at a time: strings are most of an envelope's bytes (run id, timestamps, names, help).
   */
  private void string() {
    expect('"');
    byte[] buf = b;
    int from = pos;
    int p = from;
    int e = end;
    while (p + 8 <= e) {
      long special = Swar.special((long) Swar.LONG.get(buf, p));
      if (special != 0) {
        p += Long.numberOfTrailingZeros(special) >>> 3;
        break;
      }
      p += 8;
    }
    while (true) {
      if (p >= e) {
        throw DECLINE;
      }
      byte c = buf[p];
      if (c == '"') {
        break;
      }
      if (c == '\\' || c < 0x20) { // an escape, a control character, or (negative) a non-ASCII byte
        throw DECLINE;
      }
      p++;
    }
    stringStart = from;
    stringEnd = p;
    pos = p + 1;
  }

  /** A member name: a plain string of a bounded length. */
  private void name() {
    string();
    if (stringEnd - stringStart > MAX_NAME_BYTES) {
      throw DECLINE;
    }
  }

  /**
   * Any valid string, checked but not read: escapes as JSON defines them, UTF-8 strictly (well-formed,
   * shortest form, no surrogates), which Jackson accepts too; anything else declines.
   */
  private void skipString() {
    expect('"');
    byte[] buf = b;
    int p = pos;
    int e = end;
    while (true) {
      if (p >= e) {
        throw DECLINE;
      }
      int c = buf[p];
      if (c == '"') {
        break;
      }
      if (c >= 0x20 && c != '\\') { // printable ASCII (non-ASCII bytes are negative)
        p++;
      } else if (c == '\\') {
        p = escape(buf, p + 1, e);
      } else if (c < 0) {
        p = utf8(buf, p, e);
      } else {
        throw DECLINE; // a control character
      }
    }
    pos = p + 1;
  }

  /** The position after the escape whose character (after the backslash) is at {@code p}. */
  private static int escape(byte[] buf, int p, int e) {
    if (p >= e) {
      throw DECLINE;
    }
    switch (buf[p]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        return p + 1;
      }
      case 'u' -> {
        if (p + 5 > e) {
          throw DECLINE;
        }
        for (int i = p + 1; i < p + 5; i++) {
          byte h = buf[i];
          if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
            throw DECLINE;
          }
        }
        return p + 5;
      }
      default -> throw DECLINE;
    }
  }

  /** The position after the well-formed UTF-8 sequence starting with the non-ASCII byte at {@code p}. */
  private static int utf8(byte[] buf, int p, int e) {
    int c = buf[p] & 0xFF;
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) {
        lo = 0xA0; // not overlong
      } else if (c == 0xED) {
        hi = 0x9F; // not a surrogate
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) {
        lo = 0x90; // not overlong
      } else if (c == 0xF4) {
        hi = 0x8F; // not above U+10FFFF
      }
    } else {
      throw DECLINE;
    }
    if (p + n >= e) {
      throw DECLINE;
    }
    int second = buf[p + 1] & 0xFF;
    if (second < lo || second > hi) {
      throw DECLINE;
    }
    for (int i = p + 2; i <= p + n; i++) {
      if ((buf[i] & 0xC0) != 0x80) {
        throw DECLINE;
      }
    }
    return p + n + 1;
  }

  private void literal(byte[] word) {
    if (end - pos < word.length || !Arrays.equals(b, pos, pos + word.length, word, 0, word.length)) {
      throw DECLINE;
    }
    pos += word.length;
    if (pos < end && !isDelimiter(b[pos])) {
      throw DECLINE;
    }
  }

  private void ws() {
    if (pos < end && b[pos] > ' ') {
      return; // compact JSON, the common case: every whitespace byte is at most ' ', as are non-ASCII ones
    }
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private byte peek() {
    if (pos >= end) {
      throw DECLINE;
    }
    return b[pos];
  }

  private byte next() {
    if (pos >= end) {
      throw DECLINE;
    }
    return b[pos++];
  }

  private void expect(char c) {
    if (next() != c) {
      throw DECLINE;
    }
  }

  private boolean is(int from, int to, byte[] word) {
    if (to - from != word.length) {
      return false;
    }
    byte[] buf = b;
    for (int i = 0; i < word.length; i++) {
      if (buf[from + i] != word[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isDelimiter(byte c) {
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
