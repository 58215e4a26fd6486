package dev.tributary.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * What a reusable decoder remembers between records: the short strings its {@link EnvelopeScanner}
 * has seen, the last timestamps and the last sender.
 *
 * <p>A consume loop sees the same few services, instances, run ids, metric names, label keys and
 * label values over and over; decoding each into a new {@code String} costs an allocation and a
 * copy per field per record, and leaves every held series with its own copies. The table here is
 * direct-mapped: a string's slot is chosen by its hash; a hit returns the string already held, a
 * miss creates one and replaces what was in the slot. Memory is bounded by the slot count whatever
 * the input's cardinality, and a high-cardinality field only costs its own misses.
 *
 * <p>Timestamps repeat too (every series of one collection step carries the same one), so the text
 * and value of the last {@code @timestamp} and the last start time are kept.
 *
 * <p>A metric's {@code labels} object repeats with its series, so whole label objects are kept the
 * same way, by their bytes, each as one unmodifiable map: a series' records then share one map
 * (no map built per record), which also lets a consumer recognise a series it holds by identity.
 *
 * <p>Not thread-safe: one per decoder, one decoder per thread.
 */
final class DecodeCache {
  /** Slots of the string table (a power of two). */
  static final int SLOTS = 8192;
  /** Longer strings are not cached: they are rarely repeated identifiers. */
  static final int MAX_CACHED_LENGTH = 256;

  private final String[] byteTable = new String[SLOTS];
  private final byte[][] byteKeys = new byte[SLOTS][];
  private final byte[] lastTimestampBytes = new byte[MAX_CACHED_LENGTH];
  private int lastTimestampBytesLength = -1;
  private long lastTimestampOfBytes;
  private final byte[] lastStartBytes = new byte[MAX_CACHED_LENGTH];
  private int lastStartBytesLength = -1;
  private long lastStartOfBytes;
  private EnvelopeScanner scanner;
  /** Slots of the table of {@code labels} objects (a power of two). */
  static final int LABEL_SLOTS = 4096;
  private final byte[][] labelKeys = new byte[LABEL_SLOTS][];
  @SuppressWarnings("unchecked")
  private final Map<String, String>[] labelMaps = new Map[LABEL_SLOTS];

  /** The string of ASCII bytes {@code buf[off, off + len)}, from the table when it is short. */
  String lookup(byte[] buf, int off, int len) {
    if (len > MAX_CACHED_LENGTH) {
      return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }
    int h = hash(buf, off, len);
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    byte[] held = byteKeys[slot];
    if (held != null && held.length == len && same(held, buf, off, len)) {
      return byteTable[slot];
    }
    String s = new String(buf, off, len, StandardCharsets.ISO_8859_1);
    byteTable[slot] = s;
    byteKeys[slot] = Arrays.copyOfRange(buf, off, off + len);
    return s;
  }

  /**
   * The map of the {@code labels} object whose bytes are {@code buf[off, off + len)} if it is held,
   * else {@code null}.
   */
  Map<String, String> labels(byte[] buf, int off, int len) {
    if (len > MAX_CACHED_LENGTH) {
      return null;
    }
    int slot = labelSlot(buf, off, len);
    byte[] held = labelKeys[slot];
    return held != null && held.length == len && same(held, buf, off, len) ? labelMaps[slot] : null;
  }

  /** Holds {@code map} (unmodifiable) as the one of the {@code labels} object {@code buf[off, off + len)}. */
  void rememberLabels(byte[] buf, int off, int len, Map<String, String> map) {
    if (len > MAX_CACHED_LENGTH) {
      return;
    }
    int slot = labelSlot(buf, off, len);
    labelKeys[slot] = Arrays.copyOfRange(buf, off, off + len);
    labelMaps[slot] = map;
  }

  private static int labelSlot(byte[] buf, int off, int len) {
    int h = hash(buf, off, len);
    return (h ^ (h >>> 16)) & (LABEL_SLOTS - 1);
  }

  /**
   * A hash of the bytes: of the first and last eight (which overlap below 16 bytes) and the length
   * for strings of eight bytes or more, of every byte below that. Identifiers that differ only in
   * their middle share a slot, which costs them misses, never a wrong answer.
   */
  static int hash(byte[] buf, int off, int len) {
    long h;
    if (len >= 8) {
      h = (long) Swar.LONG.get(buf, off) * 0x9E3779B97F4A7C15L + (long) Swar.LONG.get(buf, off + len - 8) + len;
      h *= 0xC2B2AE3D27D4EB4FL;
    } else {
      h = len;
      for (int i = off, end = off + len; i < end; i++) {
        h = 31 * h + buf[i];
      }
      h *= 0x9E3779B97F4A7C15L;
    }
    return (int) (h ^ (h >>> 32));
  }

  /** Eight bytes at a time (the last word may overlap the one before); bytes one by one below eight. */
  private static boolean same(byte[] held, byte[] buf, int off, int len) {
    if (len < 8) {
      for (int i = 0; i < len; i++) {
        if (held[i] != buf[off + i]) {
          return false;
        }
      }
      return true;
    }
    for (int i = 0; i < len - 8; i += 8) {
      if ((long) Swar.LONG.get(held, i) != (long) Swar.LONG.get(buf, off + i)) {
        return false;
      }
    }
    return (long) Swar.LONG.get(held, len - 8) == (long) Swar.LONG.get(buf, off + len - 8);
  }

  /**
   * Epoch millis of the timestamp in ASCII bytes {@code buf[off, off + len)}; {@code start} picks
   * the memo ({@code metric.start} versus {@code @timestamp}), so alternating fields do not evict
   * each other. The text is compared with the previous one before anything is parsed or allocated.
   *
   * @throws IllegalArgumentException if the text is not a timestamp
   */
  long timestamp(byte[] buf, int off, int len, boolean start) {
    if (len > MAX_CACHED_LENGTH) {
      return Timestamps.parse(new String(buf, off, len, StandardCharsets.ISO_8859_1));
    }
    byte[] last = start ? lastStartBytes : lastTimestampBytes;
    int lastLength = start ? lastStartBytesLength : lastTimestampBytesLength;
    if (len == lastLength && same(last, buf, off, len)) {
      return start ? lastStartOfBytes : lastTimestampOfBytes;
    }
    long millis = Timestamps.parse(new String(buf, off, len, StandardCharsets.ISO_8859_1));
    System.arraycopy(buf, off, last, 0, len);
    if (start) {
      lastStartBytesLength = len;
      lastStartOfBytes = millis;
    } else {
      lastTimestampBytesLength = len;
      lastTimestampOfBytes = millis;
    }
    return millis;
  }

  private EnvelopeReader scanReader;

  /** The reader {@link EnvelopeScanner#scanMetric} fills, reset: one for all records instead of one per record. */
  EnvelopeReader scanReader() {
    if (scanReader == null) {
      scanReader = new EnvelopeReader(this);
    }
    return scanReader.resetScanned();
  }

  /** The byte-level reader of envelopes that shares this cache. */
  EnvelopeScanner scanner() {
    if (scanner == null) {
      scanner = new EnvelopeScanner(this);
    }
    return scanner;
  }

  private Source lastSource;

  /** The last sender if it has exactly these (cached, so compared by identity) fields, else a new one. */
  Source source(String service, String instance, String version, String environment, String run) {
    Source s = lastSource;
    if (s != null && s.service() == service && s.instance() == instance && s.version() == version
        && s.environment() == environment && s.runId() == run) {
      return s;
    }
    s = new Source(service, instance, version, environment, run);
    lastSource = s;
    return s;
  }
}
