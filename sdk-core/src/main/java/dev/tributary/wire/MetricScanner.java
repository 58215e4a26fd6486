package dev.tributary.wire;

import com.fasterxml.jackson.core.io.NumberInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast path of {@link EnvelopeCodec.Decoder} for the record a metrics consumer sees millions of
 * times: a metric envelope in plain JSON. It reads the bytes directly (no parser object, no
 * character decoding, field names matched as bytes) and fills an {@link EnvelopeReader}'s fields,
 * whose {@code build()} then checks and builds the envelope exactly as after a Jackson read.
 *
 * <p>It accepts only what it can read with certainty to the same values as the Jackson path:
 * strict JSON, strings of printable ASCII without escapes, integers of at most 18 digits, and the
 * fields of the header, {@code labels} and {@code metric} (unknown fields are skipped, as there).
 * Anything else (another envelope type, an escape, a non-ASCII byte, a value of the wrong type, a
 * malformed document) makes {@link #scan} return {@code false}; the caller then reads the record
 * with Jackson, which produces the envelope or the exact error. So this class never decides that a
 * record is invalid, it only declines.
 *
 * <p>Not thread-safe: one per {@link DecodeCache}.
 */
final class MetricScanner {
  private static final int MAX_DEPTH = 32;
  private static final int MAX_NUMBER_LENGTH = 64;
  private static final int MAX_LONG_DIGITS = 18;

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
  /** Top-level fields of the other envelope types: the Jackson path reads those. */
  private static final byte[][] OTHER_TYPES = {ascii("log"), ascii("message"), ascii("process"), ascii("error"),
      ascii("correlation"), ascii("trace"), ascii("span"), ascii("fields"), ascii("attributes"), ascii("tags"),
      ascii("event"), ascii("health")};
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

  private final DecodeCache cache;
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

  MetricScanner(DecodeCache cache) {
    this.cache = cache;
  }

  /**
   * Reads a metric envelope's fields into {@code r}.
   *
   * @return {@code false} if the record is outside the fast path ({@code r} must then be discarded)
   */
  boolean scan(EnvelopeReader r, byte[] bytes, int offset, int length) {
    b = bytes;
    pos = offset;
    end = offset + length;
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
          r.timestamp = timestamp(false);
        } else if (is(ks, ke, TRIBUTARY)) {
          tributary(r);
        } else if (is(ks, ke, SERVICE)) {
          service(r);
        } else if (is(ks, ke, LABELS)) {
          r.labels = labels();
        } else if (is(ks, ke, METRIC)) {
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
      return false; // IllegalArgumentException: a timestamp or number the parsers refused
    } finally {
      b = null;
    }
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
      r.schema = lastSchema != UNSET ? lastSchema : r.schema;
      r.type = lastType != UNSET ? lastType : r.type;
      r.run = lastRun != UNSET ? lastRun : r.run;
      r.stream = lastStream != UNSET ? lastStream : r.stream;
      r.seq = longValue();
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
    r.schema = r.schema == UNSET ? schema : r.schema;
    r.type = r.type == UNSET ? type : r.type;
    r.run = r.run == UNSET ? run : r.run;
    r.stream = r.stream == UNSET ? stream : r.stream;
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
      r.seq = longValue();
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
    r.service = r.service == UNSET ? service : r.service;
    r.version = r.version == UNSET ? version : r.version;
    r.environment = r.environment == UNSET ? environment : r.environment;
    r.instance = r.instance == UNSET ? instance : r.instance;
  }

  /** Sets the fields the remembered {@code service} object set. */
  private void replay(EnvelopeReader r) {
    if (lastServiceName != UNSET) {
      r.service = lastServiceName;
    }
    if (lastVersion != UNSET) {
      r.version = lastVersion;
    }
    if (lastEnvironment != UNSET) {
      r.environment = lastEnvironment;
    }
    if (lastInstance != UNSET) {
      r.instance = lastInstance;
    }
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

  private Map<String, String> labels() {
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

  private void metric(EnvelopeReader r) {
    expect('{');
    if (!firstMember()) {
      return;
    }
    do {
      int ks = stringStart;
      int ke = stringEnd;
      colon();
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
        r.value = doubleValue();
        r.hasValue = true;
      } else if (is(ks, ke, COUNT)) {
        r.count = longValue();
      } else if (is(ks, ke, SUM)) {
        r.sum = doubleValue();
      } else if (is(ks, ke, BUCKETS)) {
        r.buckets = buckets();
      } else if (is(ks, ke, QUANTILES)) {
        r.quantiles = quantiles();
      } else {
        skipValue(1);
      }
    } while (nextMember());
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
            c = longValue();
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
            v = doubleValue();
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
    return integral ? (double) longValue : NumberInput.parseDouble(number, 0, numberLength, true);
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
    if (pos < end && b[pos] == '.') {
      fraction = true;
      pos++;
      requireDigits();
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
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
      case '"' -> string();
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
    string();
    return true;
  }

  /** After a member's value: {@code true} and the next member's name, or {@code false} at {@code '}'}. */
  private boolean nextMember() {
    ws();
    byte c = next();
    if (c == ',') {
      ws();
      string();
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
