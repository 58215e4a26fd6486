package dev.tributary.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes of a byte array at a time ("SIMD within a register"), for the decoder's loops over
 * record bytes: one bounds-checked load and a few arithmetic operations per eight bytes instead of
 * a load, two compares and a branch per byte.
 */
final class Swar {
  /** Little-endian {@code long} view of a {@code byte[]}: byte {@code i} of a word is its bits {@code 8i..8i+7}. */
  static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';
  private static final long SPACES = ONES * 0x20;

  private Swar() {}

  /**
   * A word whose high bit is set in the lowest byte of {@code w} that ends or breaks a plain string:
   * {@code '"'}, {@code '\\'}, a control character ({@code < 0x20}) or a non-ASCII byte
   * ({@code >= 0x80}); 0 if there is none. Bytes above that one may be flagged falsely (a borrow
   * runs upwards), so only the lowest flag is meaningful: {@code numberOfTrailingZeros(result) >>> 3}
   * is its index.
   */
  static long special(long w) {
    long quote = w ^ QUOTES;
    long backslash = w ^ BACKSLASHES;
    return ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (w - SPACES) & ~w | w) & HIGHS;
  }
}
