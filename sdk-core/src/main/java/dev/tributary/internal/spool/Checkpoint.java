package dev.tributary.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The spool's committed position: every record that ends at or before it was acknowledged by Kafka.
 * Written to a temporary file and renamed over the old one (atomic on POSIX), so a crash leaves
 * either the old or the new position, never a torn one. A checkpoint that lags only causes
 * duplicates on replay, never a loss.
 *
 * <p>Layout: {@code int magic}, {@code long position}, {@code int crc32c} of the first 12 bytes.
 */
final class Checkpoint {
  static final String FILE = "checkpoint";
  private static final String TEMP = "checkpoint.tmp";
  private static final int MAGIC = 0x54425331; // "TBS1"

  private Checkpoint() {}

  /** The stored position, or -1 if there is none or it is unreadable (then everything is replayed). */
  static long read(Path dir) {
    try {
      byte[] bytes = Files.readAllBytes(dir.resolve(FILE));
      if (bytes.length != 16) {
        return -1;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      int magic = b.getInt();
      long position = b.getLong();
      int crc = b.getInt();
      CRC32C check = new CRC32C();
      check.update(bytes, 0, 12);
      return magic == MAGIC && crc == (int) check.getValue() && position >= 0 ? position : -1;
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  static void write(Path dir, long position, boolean sync) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putInt(MAGIC).putLong(position);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 12);
    b.putInt((int) crc.getValue());
    b.flip();
    Path temp = dir.resolve(TEMP);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (b.hasRemaining()) {
        channel.write(b);
      }
      if (sync) {
        channel.force(false);
      }
    }
    Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
