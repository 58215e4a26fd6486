package dev.tributary.internal.spool;

import dev.tributary.SpoolFsync;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A write-ahead log of encoded records in segment files: records are appended, read back in order to
 * be sent, and completed in order as Kafka acknowledges them; the committed position (the end of the
 * contiguous completed prefix) is checkpointed, and segments wholly before it are deleted.
 *
 * <p>Record framing: {@code int length}, {@code int crc32c(payload)}, {@code payload} (a
 * {@link SpoolRecord}). On {@link #open}, the segments from the checkpoint on are scanned; the first
 * record whose length is impossible, whose bytes are short or whose checksum does not match ends its
 * segment: the file is truncated there and counted as torn, so garbage is never replayed.
 *
 * <p>Not thread-safe: only the client's I/O thread touches a spool (no file I/O on callers' threads).
 * A lock file keeps two clients from sharing a directory.
 */
public final class Spool implements Closeable {
  static final int HEADER_BYTES = 8;
  static final int MAX_PAYLOAD = 256 * 1024 * 1024;
  private static final String LOCK_FILE = "spool.lock";
  static final String PROBE_FILE = "spool.probe";
  private static final int READ_AHEAD = 64 * 1024;

  private final Path dir;
  private final SpoolFsync fsync;
  private final long syncIntervalNanos;
  private final long maxBytes;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private final CRC32C crc = new CRC32C();

  private long committed;
  private long checkpointed;
  private long readPos;
  private volatile long bytes;
  private long lastSyncNanos;
  private long lastCheckpointNanos;
  private boolean unsynced;
  /** Records written but, with {@link SpoolFsync#ALWAYS}, not yet forced (not yet counted as spooled). */
  private long unforcedRecords;

  // Appends not yet written to the active segment.
  private byte[] wbuf = new byte[64 * 1024];
  private int wlen;
  private int wrecords;

  // Read-ahead window over one segment.
  private ByteBuffer rbuf = ByteBuffer.allocate(READ_AHEAD);
  private Segment rseg;
  private long rstart;
  private int rlen;

  // Counters (read by other threads through the volatile fields).
  private volatile long ownBacklog;
  private volatile long recoveredBacklog;
  private volatile long spooled;
  private final long recoveredRecords;
  private volatile long tornRecords;
  private long tornBytes;

  private Spool(Path dir, SpoolFsync fsync, long syncIntervalNanos, long maxBytes, long segmentBytes,
      FileChannel lockChannel, FileLock lock, long checkpoint, List<Segment> recovered, long recoveredRecords,
      long tornRecords, long tornBytes) throws IOException {
    this.dir = dir;
    this.fsync = fsync;
    this.syncIntervalNanos = syncIntervalNanos;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.recoveredRecords = recoveredRecords;
    this.tornRecords = tornRecords;
    this.tornBytes = tornBytes;
    this.recoveredBacklog = recoveredRecords;
    long end = Math.max(0, checkpoint);
    for (Segment s : recovered) {
      segments.add(s);
      bytes += s.size;
      end = Math.max(end, s.end());
    }
    this.committed = segments.isEmpty() ? end : Math.max(Math.max(0, checkpoint), segments.peekFirst().base);
    this.checkpointed = checkpoint;
    this.readPos = committed;
    // Appends always go to a fresh segment, so a segment holds either an earlier run's records or this run's.
    segments.add(Segment.create(dir, end));
    syncDirectory();
  }

  /**
   * Opens (creating if needed) the spool in {@code dir}, recovering what an earlier run left.
   *
   * @throws IOException if the directory cannot be created or written, or another client holds it
   */
  public static Spool open(Path dir, SpoolFsync fsync, long syncIntervalNanos, long maxBytes, long segmentBytes)
      throws IOException {
    Files.createDirectories(dir);
    FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("the spool directory is in use by another Tributary client");
    }
    List<Segment> opened = new ArrayList<>();
    try {
      long checkpoint = Checkpoint.read(dir);
      TreeMap<Long, Path> files = new TreeMap<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + Segment.SUFFIX)) {
        for (Path p : stream) {
          long base = Segment.parse(p.getFileName().toString());
          if (base >= 0) {
            files.put(base, p);
          }
        }
      }
      Recovery recovery = new Recovery();
      long previousEnd = -1;
      for (var e : files.entrySet()) {
        long base = e.getKey();
        Path path = e.getValue();
        long size = Files.size(path);
        if (size == 0 || (checkpoint >= 0 && base + size <= checkpoint) || base < previousEnd) {
          // Empty, wholly committed, or overlapping an earlier segment (never written that way): delete.
          Files.deleteIfExists(path);
          continue;
        }
        Segment segment = Segment.open(path, base);
        opened.add(segment);
        long from = checkpoint > base ? checkpoint - base : 0;
        recovery.scan(segment, from);
        if (segment.size == 0) {
          segment.delete();
          opened.remove(segment);
          continue;
        }
        previousEnd = segment.end();
      }
      return new Spool(dir, fsync, syncIntervalNanos, maxBytes, segmentBytes, lockChannel, lock, checkpoint, opened,
          recovery.records, recovery.tornRecords, recovery.tornBytes);
    } catch (IOException | RuntimeException e) {
      for (Segment s : opened) {
        s.close();
      }
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  /** Validates records on open and truncates a torn or corrupt tail. */
  private static final class Recovery {
    long records;
    long tornRecords;
    long tornBytes;
    private final CRC32C crc = new CRC32C();

    void scan(Segment s, long from) throws IOException {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      long offset = from;
      long count = 0;
      while (offset < s.size) {
        boolean valid = false;
        if (s.size - offset >= HEADER_BYTES) {
          header.clear();
          readFully(s.channel, header, offset);
          header.flip();
          int length = header.getInt();
          int expected = header.getInt();
          if (length > 0 && length <= MAX_PAYLOAD && offset + HEADER_BYTES + length <= s.size) {
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(s.channel, payload, offset + HEADER_BYTES);
            crc.reset();
            crc.update(payload.array(), 0, length);
            valid = (int) crc.getValue() == expected;
            if (valid) {
              offset += HEADER_BYTES + length;
              count++;
            }
          }
        }
        if (!valid) {
          tornRecords++;
          tornBytes += s.size - offset;
          s.channel.truncate(offset);
          s.channel.force(true);
          s.size = offset;
          break;
        }
      }
      s.records = count;
      records += count;
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new IOException("unexpected end of spool file");
      }
    }
  }

  // --- appending -----------------------------------------------------------------------------

  /** The framed bytes of a record: header and payload. */
  public static byte[] frame(SpoolRecord record) {
    byte[] payload = record.encode();
    CRC32C crc = new CRC32C();
    crc.update(payload, 0, payload.length);
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    b.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
    return b.array();
  }

  /** Whether {@code frameBytes} more fit within the size bound. */
  public boolean hasRoomFor(int frameBytes) {
    return bytes + frameBytes <= maxBytes;
  }

  /** Appends a framed record to the write buffer (written by {@link #flush}). */
  public void append(byte[] frame) throws IOException {
    Segment active = segments.peekLast();
    long activeSize = active.size + wlen;
    if (activeSize > 0 && activeSize + frame.length > segmentBytes) {
      roll();
    }
    if (wlen + frame.length > wbuf.length) {
      if (wlen > 0) {
        write();
      }
      if (frame.length > wbuf.length) {
        wbuf = new byte[frame.length];
      }
    }
    System.arraycopy(frame, 0, wbuf, wlen, frame.length);
    wlen += frame.length;
    wrecords++;
    segments.peekLast().records++;
    bytes += frame.length;
    ownBacklog++;
  }

  /**
   * Writes buffered appends to the active segment and forces them per the fsync policy; returns the
   * number of records that became spooled.
   */
  public int flush(long nowNanos) throws IOException {
    int n = wrecords;
    if (wlen > 0) {
      write();
    }
    if (fsync == SpoolFsync.ALWAYS && unsynced) {
      sync(nowNanos);
    } else {
      syncIfDue(nowNanos);
    }
    return n;
  }

  /** Forces written data if the interval policy says it is time. */
  public void syncIfDue(long nowNanos) throws IOException {
    if (unsynced && fsync == SpoolFsync.INTERVAL && nowNanos - lastSyncNanos >= syncIntervalNanos) {
      sync(nowNanos);
    }
  }

  private void sync(long nowNanos) throws IOException {
    forceActive();
    lastSyncNanos = nowNanos;
  }

  private void forceActive() throws IOException {
    segments.peekLast().channel.force(false);
    unsynced = false;
    spooled += unforcedRecords;
    unforcedRecords = 0;
  }

  private void write() throws IOException {
    Segment active = segments.peekLast();
    ByteBuffer b = ByteBuffer.wrap(wbuf, 0, wlen);
    long position = active.size;
    while (b.hasRemaining()) {
      position += active.channel.write(b, position);
    }
    active.size += wlen;
    if (fsync == SpoolFsync.ALWAYS) {
      unforcedRecords += wrecords;
    } else {
      spooled += wrecords;
    }
    wlen = 0;
    wrecords = 0;
    unsynced = true;
  }

  private void roll() throws IOException {
    if (wlen > 0) {
      write();
    }
    Segment old = segments.peekLast();
    if (unsynced && fsync != SpoolFsync.NEVER) {
      forceActive();
    }
    segments.add(Segment.create(dir, old.end()));
    if (fsync != SpoolFsync.NEVER) {
      syncDirectory();
    }
  }

  /**
   * Deletes the oldest segment to make room; its uncompleted records are given up.
   *
   * @return what was dropped, or {@code null} if only an empty active segment is left
   */
  public Dropped dropOldest() throws IOException {
    Segment first = segments.peekFirst();
    if (segments.size() == 1) {
      if (first.size + wlen == 0) {
        return null;
      }
      roll();
    }
    first = segments.pollFirst();
    long lost = first.uncompletedRecords();
    if (first.recovered) {
      recoveredBacklog -= lost;
    } else {
      ownBacklog -= lost;
    }
    bytes -= first.size;
    first.delete();
    long next = segments.peekFirst().base;
    committed = Math.max(committed, next);
    readPos = Math.max(readPos, next);
    if (rseg == first) {
      rseg = null;
    }
    return new Dropped(first, lost);
  }

  /** A segment given up to the overflow policy. */
  public static final class Dropped {
    private final Segment segment;
    private final long records;

    Dropped(Segment segment, long records) {
      this.segment = segment;
      this.records = records;
    }

    /** Records in it that had not been acknowledged. */
    public long records() {
      return records;
    }

    /** Whether they came from an earlier run. */
    public boolean recovered() {
      return segment.recovered;
    }

    /** Whether an entry was read from this segment. */
    public boolean contains(Entry entry) {
      return entry.segment == segment;
    }
  }

  // --- reading -------------------------------------------------------------------------------

  /** The next record to send, or {@code null} if every written record has been read. */
  public Entry next() throws IOException {
    while (true) {
      Segment s = segmentAt(readPos);
      if (s == null) {
        return null;
      }
      if (readPos < s.base) {
        readPos = s.base;
      }
      long offset = readPos - s.base;
      if (offset >= s.size) {
        if (s == segments.peekLast()) {
          return null;
        }
        readPos = s.end();
        continue;
      }
      ByteBuffer header = view(s, offset, HEADER_BYTES);
      int length = header == null ? -1 : header.getInt();
      int expected = header == null ? 0 : header.getInt();
      ByteBuffer payload = length > 0 && length <= MAX_PAYLOAD && offset + HEADER_BYTES + length <= s.size
          ? view(s, offset + HEADER_BYTES, length) : null;
      SpoolRecord record = null;
      if (payload != null) {
        crc.reset();
        crc.update(payload.duplicate());
        if ((int) crc.getValue() == expected) {
          try {
            record = SpoolRecord.decode(payload);
          } catch (IllegalArgumentException e) {
            record = null;
          }
        }
      }
      if (record == null) {
        // Corrupted after it was written (a disk error): skip the rest of this segment, counted.
        tornRecords++;
        tornBytes += s.size - offset;
        readPos = s.end();
        continue;
      }
      long start = readPos;
      readPos = start + HEADER_BYTES + length;
      return new Entry(s, start, readPos, record);
    }
  }

  /** The segment holding {@code position}, or the first one after it. */
  private Segment segmentAt(long position) {
    for (Segment s : segments) {
      if (position < s.end() || s == segments.peekLast()) {
        return s;
      }
    }
    return null;
  }

  private ByteBuffer view(Segment s, long offset, int length) throws IOException {
    if (rseg != s || offset < rstart || offset + length > rstart + rlen) {
      int want = (int) Math.min(Math.max(READ_AHEAD, length), s.size - offset);
      if (want < length) {
        return null;
      }
      if (rbuf.capacity() < want) {
        rbuf = ByteBuffer.allocate(want);
      }
      rbuf.clear().limit(want);
      readFully(s.channel, rbuf, offset);
      rseg = s;
      rstart = offset;
      rlen = want;
    }
    int at = (int) (offset - rstart);
    return rbuf.duplicate().limit(at + length).position(at).slice();
  }

  /** Moves the read position back (to resend from the earliest unacknowledged record). */
  public void rewind(long position) {
    readPos = Math.max(position, committed);
  }

  /** Whether written records remain to be read. */
  public boolean hasUnread() {
    return readPos < segments.peekLast().end();
  }

  /**
   * Gives up the appends still in the write buffer (after a write failure); returns how many records
   * that was.
   */
  public long discardBuffered() {
    long n = wrecords;
    segments.peekLast().records -= n;
    bytes -= wlen;
    ownBacklog -= n;
    wlen = 0;
    wrecords = 0;
    return n;
  }

  /**
   * After a failed write: whether the directory takes writes again. Writes {@code bytes} to a probe
   * file ({@value #PROBE_FILE}), forces and deletes it, then cuts the active segment back to what was
   * written whole (a failed write may have left part of a record after it).
   *
   * @throws IOException if the directory still cannot be written
   */
  public void probeWritable(int bytes) throws IOException {
    Path probe = dir.resolve(PROBE_FILE);
    try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.allocate(bytes);
      while (b.hasRemaining()) {
        channel.write(b);
      }
      channel.force(false);
    } finally {
      Files.deleteIfExists(probe);
    }
    Segment active = segments.peekLast();
    if (active.channel.size() > active.size) {
      active.channel.truncate(active.size);
    }
  }

  /** Whether appends wait in the write buffer. */
  public boolean hasBuffered() {
    return wlen > 0;
  }

  // --- completing ----------------------------------------------------------------------------

  /** Marks an entry done (acknowledged, or failed for good); entries complete in read order. */
  public void complete(Entry entry) {
    entry.segment.completedRecords++;
    if (entry.segment.recovered) {
      recoveredBacklog--;
    } else {
      ownBacklog--;
    }
    advanceCommitted(entry.end);
  }

  /** Everything before the read position is done (no record in flight): commit up to it. */
  public void completeAllRead() {
    advanceCommitted(readPos);
  }

  private void advanceCommitted(long position) {
    if (position <= committed) {
      return;
    }
    committed = position;
    while (segments.size() > 1 && segments.peekFirst().end() <= committed) {
      Segment done = segments.pollFirst();
      bytes -= done.size;
      if (rseg == done) {
        rseg = null;
      }
      try {
        done.delete();
      } catch (IOException e) {
        // A committed segment we could not delete: it is skipped on open (the checkpoint is past it).
      }
    }
  }

  /** Writes the committed position if it moved and the interval passed (or {@code force}). */
  public void checkpointIfDue(long nowNanos, boolean force) throws IOException {
    if (committed == checkpointed || (!force && nowNanos - lastCheckpointNanos < syncIntervalNanos)) {
      return;
    }
    Checkpoint.write(dir, committed, fsync != SpoolFsync.NEVER);
    checkpointed = committed;
    lastCheckpointNanos = nowNanos;
  }

  /** Flushes, forces and checkpoints what it can, then releases the files. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    try {
      if (wlen > 0) {
        write();
      }
      if (unsynced && fsync != SpoolFsync.NEVER) {
        forceActive();
      }
      checkpointIfDue(0, true);
    } catch (IOException e) {
      failure = e;
    }
    for (Segment s : segments) {
      s.close();
      if (s.size == 0) {
        Files.deleteIfExists(s.path);
      }
    }
    lock.release();
    lockChannel.close();
    if (failure != null) {
      throw failure;
    }
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException e) {
      // Not every platform can force a directory; the segment's own data is forced regardless.
    }
  }

  // --- state ---------------------------------------------------------------------------------

  public Path directory() {
    return dir;
  }

  /** Bytes in the segment files and the write buffer. */
  public long bytes() {
    return bytes;
  }

  /** Records of this run appended and not yet completed. */
  public long ownBacklog() {
    return ownBacklog;
  }

  /** Records of earlier runs not yet completed. */
  public long recoveredBacklog() {
    return recoveredBacklog;
  }

  /** Records found on open (from the committed position on). */
  public long recoveredRecords() {
    return recoveredRecords;
  }

  /** Records written to the segment files (and forced, with {@link SpoolFsync#ALWAYS}). */
  public long spooled() {
    return spooled;
  }

  /** Torn or corrupt tails truncated on open or skipped on read. */
  public long tornRecords() {
    return tornRecords;
  }

  public long tornBytes() {
    return tornBytes;
  }

  public long committedPosition() {
    return committed;
  }

  public long readPosition() {
    return readPos;
  }

  /** Segment files (including the active one). */
  public int segmentCount() {
    return segments.size();
  }

  /** A record read for sending, with its place in the spool. */
  public static final class Entry {
    final Segment segment;
    private final long start;
    private final long end;
    private final SpoolRecord record;

    Entry(Segment segment, long start, long end, SpoolRecord record) {
      this.segment = segment;
      this.start = start;
      this.end = end;
      this.record = record;
    }

    public long start() {
      return start;
    }

    public long end() {
      return end;
    }

    public SpoolRecord record() {
      return record;
    }

    /** Whether the record was written by an earlier run (a replay). */
    public boolean recovered() {
      return segment.recovered;
    }
  }
}
