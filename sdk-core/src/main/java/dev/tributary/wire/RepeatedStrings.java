package dev.tributary.wire;

/**
 * Strings that repeat from record to record (levels, logger and thread names, label keys, tags,
 * exception types), kept quoted and encoded as JSON bytes so that a record copies them instead of
 * escaping them again. Direct-mapped by {@link String#hashCode()} (cached in the string): a lookup
 * is an array read and an identity (else equals) check, a miss replaces the slot, so the memory is
 * bounded whatever the application names its threads. Long strings are not kept. Not thread-safe.
 */
final class RepeatedStrings {
  private static final int SLOTS = 512;
  /** Longer strings are encoded every time: they are unlikely to repeat and would hold memory. */
  static final int MAX_CHARS = 200;

  private final String[] keys = new String[SLOTS];
  private final byte[][] values = new byte[SLOTS][];

  /** {@code s} quoted and encoded; the caller checked {@code s.length() <= MAX_CHARS}. */
  byte[] quoted(String s) {
    int h = s.hashCode();
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    String key = keys[slot];
    if (key == s || (key != null && key.equals(s))) {
      return values[slot];
    }
    byte[] bytes = JsonBuffer.quoted(s);
    keys[slot] = s;
    values[slot] = bytes;
    return bytes;
  }

  /** Appends {@code s} as a JSON string, from the cache when it is short enough to be kept. */
  void write(JsonBuffer out, String s) {
    if (s != null && s.length() <= MAX_CHARS) {
      out.raw(quoted(s));
    } else {
      out.string(s);
    }
  }
}
