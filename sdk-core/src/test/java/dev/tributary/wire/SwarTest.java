package dev.tributary.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Swar#special} finds the first byte that ends or breaks a plain string, as a byte loop does. */
class SwarTest {
  private static boolean special(byte c) {
    return c == '"' || c == '\\' || c < 0x20; // negative: a non-ASCII byte
  }

  /** The index of the first special byte of the eight at {@code off}, or 8; the reference. */
  private static int firstSpecial(byte[] b, int off) {
    for (int i = 0; i < 8; i++) {
      if (special(b[off + i])) {
        return i;
      }
    }
    return 8;
  }

  private static int swarFirstSpecial(byte[] b, int off) {
    long s = Swar.special((long) Swar.LONG.get(b, off));
    return s == 0 ? 8 : Long.numberOfTrailingZeros(s) >>> 3;
  }

  @Test
  void everyByteValueAtEveryPositionAmongPlainLetters() {
    byte[] b = new byte[8];
    for (int at = 0; at < 8; at++) {
      for (int v = 0; v < 256; v++) {
        java.util.Arrays.fill(b, (byte) 'a');
        b[at] = (byte) v;
        assertThat(swarFirstSpecial(b, 0)).as("byte %02x at %d", v, at).isEqualTo(firstSpecial(b, 0));
      }
    }
  }

  @Test
  void firstOfSeveralSpecialBytesAndBorrowsFromLowerBytes() {
    // Random words drawn from bytes near the boundaries (0x00, 0x1f, 0x20, '"', '\\', 0x7f, 0x80, 0xff ...),
    // where a borrow out of one byte could flag the next.
    byte[] pool = {0x00, 0x01, 0x1f, 0x20, 0x21, '"', 0x23, '[', '\\', ']', 0x7e, 0x7f, (byte) 0x80, (byte) 0x81,
        (byte) 0xa2, (byte) 0xdc, (byte) 0xfe, (byte) 0xff, 'a', '0'};
    SplittableRandom random = new SplittableRandom(42);
    byte[] b = new byte[16];
    for (int n = 0; n < 200_000; n++) {
      for (int i = 0; i < b.length; i++) {
        b[i] = pool[random.nextInt(pool.length)];
      }
      int off = random.nextInt(9);
      assertThat(swarFirstSpecial(b, off)).isEqualTo(firstSpecial(b, off));
    }
  }
}
