package dev.tributary.wire;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable output buffer for one encoder: JSON pieces are appended as bytes, strings are quoted
 * and escaped exactly as Jackson's UTF-8 generator escapes them with its default settings, and a
 * record's value leaves as one array of its exact size. It is also an {@link OutputStream}, so a
 * Jackson generator writes into the same buffer for the parts written through Jackson. Not
 * thread-safe.
 */
final class JsonBuffer extends OutputStream {
  /** After a record larger than this, the buffer shrinks back instead of holding the memory. */
  private static final int RETAIN_BYTES = 256 * 1024;
  /** Characters copied out of a string at a time (a string needs at most 6 bytes per character). */
  private static final int CHUNK = 1024;
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /**
   * Per ASCII character: 0 written as is, a letter for its two-character escape ({@code \n}), -1 for
   * {@code \}{@code u00XX}. Jackson's {@code CharTypes.get7BitOutputEscapes()}: the control characters,
   * the quote and the backslash; {@code /} and DEL are not escaped.
   */
  private static final int[] ESCAPES = new int[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = -1;
    }
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  private final int initialSize;
  private byte[] buf;
  private int pos;
  private final char[] chars = new char[CHUNK];
  private final byte[] digits = new byte[20];

  JsonBuffer(int initialSize) {
    this.initialSize = initialSize;
    this.buf = new byte[initialSize];
  }

  /** Empties the buffer for the next record. */
  void reset() {
    pos = 0;
    if (buf.length > RETAIN_BYTES) {
      buf = new byte[initialSize];
    }
  }

  int size() {
    return pos;
  }

  /** The bytes written since {@link #reset()}, in a new array of exactly that size. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** Appends bytes that are JSON already (pre-encoded names, punctuation, cached strings). */
  void raw(byte[] bytes) {
    int n = bytes.length;
    ensure(n);
    System.arraycopy(bytes, 0, buf, pos, n);
    pos += n;
  }

  void raw(char ascii) {
    ensure(1);
    buf[pos++] = (byte) ascii;
  }

  /** Appends a number as Jackson's {@code writeNumber(int/long)} writes it. */
  void number(long value) {
    if (value < 0) {
      raw(Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return;
    }
    // Digits from the right into scratch, then one copy: one division per digit.
    int at = digits.length;
    long v = value;
    do {
      digits[--at] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
    int n = digits.length - at;
    ensure(n);
    System.arraycopy(digits, at, buf, pos, n);
    pos += n;
  }

  /**
   * Appends a JSON string: quoted, UTF-8, escaped as Jackson escapes by default — the quote, the
   * backslash and control characters (short forms {@code \b \t \n \f \r}, else {@code \}{@code u00XX}),
   * and every surrogate character on its own as {@code \}{@code uXXXX} (Jackson does not combine
   * pairs into 4-byte UTF-8 unless told to); upper-case hex digits. {@code null} is written as
   * {@code null}, as Jackson's {@code writeString(null)} does.
   */
  void string(String s) {
    if (s == null) {
      raw(NULL);
      return;
    }
    ensure(1);
    buf[pos++] = '"';
    int n = s.length();
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      ensure(count * 6 + 1);
      s.getChars(from, from + count, chars, 0);
      pos = escape(chars, count, buf, pos);
    }
    ensure(1);
    buf[pos++] = '"';
  }

  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  /** Writes {@code count} characters into {@code b} from {@code p}, which has room for 6 bytes each. */
  private static int escape(char[] chars, int count, byte[] b, int p) {
    int i = 0;
    while (i < count) {
      // The plain-ASCII run, the common case: one compare and one table read per character.
      char c;
      while (i < count && (c = chars[i]) < 0x80 && ESCAPES[c] == 0) {
        b[p++] = (byte) c;
        i++;
      }
      if (i == count) {
        break;
      }
      c = chars[i++];
      if (c < 0x80) {
        int esc = ESCAPES[c];
        b[p++] = '\\';
        if (esc > 0) {
          b[p++] = (byte) esc;
        } else {
          p = unicodeEscape(b, p, c);
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        b[p++] = '\\';
        p = unicodeEscape(b, p, c);
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p;
  }

  /** {@code uXXXX} after the backslash. */
  private static int unicodeEscape(byte[] b, int p, char c) {
    b[p++] = 'u';
    b[p++] = HEX[(c >> 12) & 0xF];
    b[p++] = HEX[(c >> 8) & 0xF];
    b[p++] = HEX[(c >> 4) & 0xF];
    b[p++] = HEX[c & 0xF];
    return p;
  }

  /** {@code s} as a quoted, escaped JSON string on its own, for callers that cache the bytes. */
  static byte[] quoted(String s) {
    JsonBuffer b = new JsonBuffer(Math.min(s.length(), CHUNK) * 6 + 2);
    b.string(s);
    return b.toByteArray();
  }

  static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private void ensure(int more) {
    if (buf.length - pos < more) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }
}
