package dev.tributary.internal.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.SpoolFsync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  private static final long MB = 1024 * 1024;

  @TempDir
  Path dir;

  private Spool open(long maxBytes, long segmentBytes) throws IOException {
    return Spool.open(dir, SpoolFsync.ALWAYS, 100_000_000L, maxBytes, segmentBytes);
  }

  private static SpoolRecord record(int i) {
    return new SpoolRecord("payment.events", i % 3 == 0 ? null : "key-" + i, 1_700_000_000_000L + i,
        ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8),
        List.of(new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("nothing", null)));
  }

  private static int seq(SpoolRecord r) {
    String json = new String(r.value(), StandardCharsets.UTF_8);
    return Integer.parseInt(json.substring(7, json.length() - 1));
  }

  private static void append(Spool spool, int from, int to) throws IOException {
    for (int i = from; i < to; i++) {
      spool.append(Spool.frame(record(i)));
    }
    spool.flush(System.nanoTime());
  }

  private static List<Spool.Entry> readAll(Spool spool) throws IOException {
    List<Spool.Entry> entries = new ArrayList<>();
    for (Spool.Entry e = spool.next(); e != null; e = spool.next()) {
      entries.add(e);
    }
    return entries;
  }

  @Test
  void aRecordRoundTripsEveryPartOfTheProducerRecord() {
    ProducerRecord<String, byte[]> original = record(7).toProducerRecord();
    SpoolRecord copy = SpoolRecord.decode(ByteBuffer.wrap(SpoolRecord.of(original).encode()));
    ProducerRecord<String, byte[]> rebuilt = copy.toProducerRecord();
    assertThat(rebuilt.topic()).isEqualTo("payment.events");
    assertThat(rebuilt.key()).isEqualTo("key-7");
    assertThat(rebuilt.timestamp()).isEqualTo(1_700_000_000_007L);
    assertThat(rebuilt.value()).isEqualTo(original.value());
    assertThat(rebuilt.headers().lastHeader("content-type").value()).isEqualTo("application/json".getBytes(StandardCharsets.UTF_8));
    assertThat(rebuilt.headers().lastHeader("nothing").value()).isNull();
    assertThat(SpoolRecord.decode(ByteBuffer.wrap(record(3).encode())).key()).isNull();
  }

  @Test
  void recordsAreReadBackInOrderAcrossSegments() throws IOException {
    try (Spool spool = open(16 * MB, 1024)) {
      append(spool, 0, 500);
      assertThat(spool.segmentCount()).isGreaterThan(5);
      assertThat(spool.spooled()).isEqualTo(500);
      List<Spool.Entry> entries = readAll(spool);
      assertThat(entries).extracting(e -> seq(e.record())).containsExactlyElementsOf(range(0, 500));
      assertThat(entries).noneMatch(Spool.Entry::recovered);
    }
  }

  @Test
  void reopeningReplaysFromTheCommittedPositionAndDeletesCommittedSegments() throws IOException {
    try (Spool spool = open(16 * MB, 1024)) {
      append(spool, 0, 300);
      List<Spool.Entry> entries = readAll(spool);
      int segmentsBefore = spool.segmentCount();
      for (int i = 0; i < 120; i++) {
        spool.complete(entries.get(i));
      }
      assertThat(spool.ownBacklog()).isEqualTo(180);
      // Segments wholly acknowledged are gone: about 120 of 300 records' worth.
      assertThat(spool.segmentCount()).isBetween(segmentsBefore * 3 / 5 - 1, segmentsBefore * 3 / 5 + 2);
      assertThat(dir.resolve(Segment.name(0))).doesNotExist();
      spool.checkpointIfDue(System.nanoTime(), true);
    }
    try (Spool spool = open(16 * MB, 1024)) {
      assertThat(spool.recoveredRecords()).isEqualTo(180);
      assertThat(spool.tornRecords()).isZero();
      List<Spool.Entry> replay = readAll(spool);
      assertThat(replay).extracting(e -> seq(e.record())).containsExactlyElementsOf(range(120, 300));
      assertThat(replay).allMatch(Spool.Entry::recovered);
      // New appends come after the replay, in a segment of their own.
      append(spool, 300, 310);
      assertThat(readAll(spool)).extracting(e -> seq(e.record())).containsExactlyElementsOf(range(300, 310))
          .hasSize(10);
    }
  }

  @Test
  void aTornTailIsTruncatedCountedAndNeverReplayed() throws IOException {
    try (Spool spool = open(16 * MB, 16 * MB)) {
      append(spool, 0, 50);
    }
    Path segment = onlySegment();
    long intact = Files.size(segment);
    // Half a record: a plausible header and too few payload bytes, as a crash mid-write leaves.
    ByteBuffer partial = ByteBuffer.allocate(20).putInt(400).putInt(12345).put(new byte[12]);
    Files.write(segment, partial.array(), StandardOpenOption.APPEND);
    try (Spool spool = open(16 * MB, 16 * MB)) {
      assertThat(spool.recoveredRecords()).isEqualTo(50);
      assertThat(spool.tornRecords()).isEqualTo(1);
      assertThat(spool.tornBytes()).isEqualTo(20);
      assertThat(Files.size(segment)).isEqualTo(intact);
      assertThat(readAll(spool)).extracting(e -> seq(e.record())).containsExactlyElementsOf(range(0, 50));
    }
  }

  @Test
  void aChecksumMismatchEndsTheSegmentThere() throws IOException {
    try (Spool spool = open(16 * MB, 16 * MB)) {
      append(spool, 0, 10);
    }
    Path segment = onlySegment();
    byte[] bytes = Files.readAllBytes(segment);
    int recordBytes = bytes.length / 10; // equal-sized records: seq 0..9 have the same length
    bytes[recordBytes * 6 + 12] ^= 0x55; // a payload byte of the 7th record
    Files.write(segment, bytes);
    try (Spool spool = open(16 * MB, 16 * MB)) {
      assertThat(spool.tornRecords()).isEqualTo(1);
      assertThat(readAll(spool)).extracting(e -> seq(e.record())).containsExactlyElementsOf(range(0, 6));
    }
  }

  @Test
  void garbageAndZeroFilledTailsAreNotRecords() throws IOException {
    try (Spool spool = open(16 * MB, 16 * MB)) {
      append(spool, 0, 5);
    }
    Files.write(onlySegment(), new byte[4096], StandardOpenOption.APPEND);
    try (Spool spool = open(16 * MB, 16 * MB)) {
      assertThat(spool.tornRecords()).isEqualTo(1);
      assertThat(readAll(spool)).hasSize(5);
    }
  }

  @Test
  void dropOldestDeletesTheOldestSegmentAndCountsItsUndeliveredRecords() throws IOException {
    try (Spool spool = open(64 * 1024, 8 * 1024)) {
      int appended = 0;
      long dropped = 0;
      for (int i = 0; i < 5000; i++) {
        byte[] frame = Spool.frame(record(i));
        while (!spool.hasRoomFor(frame.length)) {
          dropped += spool.dropOldest().records();
        }
        spool.append(frame);
        appended++;
      }
      spool.flush(System.nanoTime());
      assertThat(spool.bytes()).isLessThanOrEqualTo(64 * 1024);
      List<Spool.Entry> left = readAll(spool);
      assertThat(left.size() + dropped).isEqualTo(appended);
      assertThat(spool.ownBacklog()).isEqualTo(left.size());
      // The newest survive, contiguous up to the last one appended.
      assertThat(seq(left.get(left.size() - 1).record())).isEqualTo(4999);
      assertThat(left).extracting(e -> seq(e.record()))
          .containsExactlyElementsOf(range(5000 - left.size(), 5000));
    }
  }

  @Test
  void rewindResendsFromTheEarliestUnacknowledgedRecord() throws IOException {
    try (Spool spool = open(16 * MB, 4096)) {
      append(spool, 0, 100);
      List<Spool.Entry> first = readAll(spool);
      spool.complete(first.get(0));
      spool.complete(first.get(1));
      spool.rewind(first.get(2).start());
      assertThat(readAll(spool)).extracting(e -> seq(e.record())).containsExactlyElementsOf(range(2, 100));
    }
  }

  @Test
  void aSecondClientCannotOpenTheSameDirectory() throws IOException {
    try (Spool spool = open(16 * MB, 16 * MB)) {
      assertThatThrownBy(() -> open(16 * MB, 16 * MB)).isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another Tributary client");
    }
  }

  @Test
  void aDirectoryUnderARegularFileCannotBeOpened() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> Spool.open(file.resolve("spool"), SpoolFsync.NEVER, 1, 16 * MB, MB))
        .isInstanceOf(IOException.class);
  }

  private Path onlySegment() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> segments = files.filter(p -> p.toString().endsWith(".seg")).toList();
      assertThat(segments).hasSize(1);
      return segments.get(0);
    }
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> list = new ArrayList<>();
    for (int i = from; i < to; i++) {
      list.add(i);
    }
    return list;
  }
}
