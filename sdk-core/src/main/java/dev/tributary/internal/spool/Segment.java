package dev.tributary.internal.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment file of the spool, named by the spool position of its first byte
 * ({@code 00000000000000000000.seg}). Positions are global byte offsets across segments, so a single
 * {@code long} names a record anywhere in the spool.
 */
final class Segment {
  static final String SUFFIX = ".seg";

  final long base;
  final Path path;
  final FileChannel channel;
  /** Opened at start-up with records of an earlier run (never appended to). */
  final boolean recovered;
  /** Bytes in the file. */
  long size;
  /** Records in the file from the committed position on (recovered) or appended (this run). */
  long records;
  /** Of those, records acknowledged or given up. */
  long completedRecords;

  private Segment(long base, Path path, FileChannel channel, boolean recovered, long size) {
    this.base = base;
    this.path = path;
    this.channel = channel;
    this.recovered = recovered;
    this.size = size;
  }

  static Segment create(Path dir, long base) throws IOException {
    Path path = dir.resolve(name(base));
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    return new Segment(base, path, channel, false, 0);
  }

  static Segment open(Path path, long base) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new Segment(base, path, channel, true, channel.size());
  }

  static String name(long base) {
    return String.format("%020d%s", base, SUFFIX);
  }

  /** The base position of a segment file name, or -1 if it is not one. */
  static long parse(String fileName) {
    if (!fileName.endsWith(SUFFIX) || fileName.length() != 20 + SUFFIX.length()) {
      return -1;
    }
    try {
      return Long.parseLong(fileName.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  long end() {
    return base + size;
  }

  long uncompletedRecords() {
    return Math.max(0, records - completedRecords);
  }

  void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a file we are about to delete or abandon
    }
  }

  void delete() throws IOException {
    close();
    Files.deleteIfExists(path);
  }

  @Override
  public String toString() {
    return path.getFileName() + "[" + size + " bytes, " + records + " records]";
  }
}
