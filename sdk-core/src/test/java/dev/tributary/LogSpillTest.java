package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.accounting.SequenceTracker;
import dev.tributary.internal.DefaultTributary;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's logs with {@code logs.overflow=spill}: through a broker outage with a small in-memory
 * buffer (and a small producer buffer, so the outage reaches ours, as in {@link LogOutageTest})
 * nothing is dropped and every record arrives, in order; what is still spilled at shutdown is sent
 * by the next start.
 */
class LogSpillTest {
  private static final int BEFORE = 5_000;
  private static final int DURING = 20_000;

  @TempDir
  Path dir;

  @Test
  void spilledLogsThroughAnOutageAllArriveInOrderWithNothingDropped() throws InterruptedException {
    int port = FreePorts.find();
    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      broker.createTopic("logs.events", 3);
      Tributary client = builder(broker.bootstrapServers())
          .logsSpoolDir(dir.resolve("logs-spool"))
          .build();
      long calls = 0;
      for (int i = 0; i < BEFORE; i++, calls++) {
        assertThat(client.sendLog(LogLevel.INFO, "before the outage " + i)).isTrue();
        if (i % 250 == 249) {
          assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();
        }
      }
      broker.stop();
      long stopped = System.nanoTime();
      // 2 000 records/s in bursts of 100 every 50 ms: a small buffer, a caller the I/O thread can keep up with.
      for (int i = 0; i < DURING; i++, calls++) {
        if (i % 100 == 0) {
          parkUntil(stopped + TimeUnit.MILLISECONDS.toNanos(50L * (i / 100)));
          awaitRoomFor(client, 100);
        }
        assertThat(client.sendLog(LogLevel.WARN, "during the outage " + i + " " + "x".repeat(200)))
            .as("record %d accepted", i).isTrue();
      }
      parkUntil(stopped + TimeUnit.SECONDS.toNanos(10));
      TributaryStats.SpoolStats during = client.stats().spool(StreamKind.LOGS);
      assertThat(during.spooled()).as("the outage was spilled to the spool").isPositive();
      assertThat(during.pending()).isPositive();
      broker.restart();
      DeliveryReport report = client.flush(Duration.ofSeconds(120));
      assertThat(report.isComplete()).as(report.toString()).isTrue();
      assertThat(client.sendLog(LogLevel.INFO, "after the outage")).isTrue();
      calls++;
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();

      TributaryStats stats = client.stats();
      TributaryStats.StreamStats logs = stats.stream(StreamKind.LOGS);
      assertThat(logs.dropped()).as("nothing dropped: %s", stats).isZero();
      assertThat(logs.failed()).isZero();
      assertThat(logs.rejected()).isZero();
      assertThat(logs.accepted()).isEqualTo(calls);
      assertThat(logs.sent()).isEqualTo(calls);
      TributaryStats.SpoolStats spool = stats.spool(StreamKind.LOGS);
      assertThat(spool.pending()).isZero();
      assertThat(spool.dropped()).isZero();
      assertThat(spool.errors()).isZero();

      String run = ((DefaultTributary) client).source().runId();
      List<ConsumerRecord<String, String>> records = broker.reader().drain("logs.events", Duration.ofSeconds(2));
      SequenceTracker.Counts counts = Envelopes.track(records).counts("spiller", "logs");
      assertThat(counts.gaps()).as("no record missing: %s", counts).isZero();
      assertThat(counts.received() - counts.duplicates()).as("distinct records").isEqualTo(calls);
      assertThat(records).hasSize((int) (calls + counts.duplicates()));
      assertThat(records).allMatch(r -> Envelopes.run(Envelopes.parse(r)).equals(run));
      assertLastDeliveriesInOrder(records, calls);
      client.close();
    }
  }

  @Test
  void recordsKafkaGivesUpOnDuringAnOutageGoToTheSpoolInsteadOfFailing() throws InterruptedException {
    int port = FreePorts.find();
    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      broker.createTopic("logs.events", 3);
      // The producer's own buffer (32 MB) takes the outage's records; it gives up on them after 2 s.
      Tributary client = builder(broker.bootstrapServers())
          .logsSpoolDir(dir.resolve("logs-spool"))
          .producerProperty("buffer.memory", String.valueOf(32 * 1024 * 1024))
          .producerProperty("request.timeout.ms", "1000")
          .producerProperty("delivery.timeout.ms", "2000")
          .build();
      int calls = 0;
      for (; calls < 1_000; calls++) {
        if (calls % 100 == 0) {
          awaitRoomFor(client, 100);
        }
        assertThat(client.sendLog(LogLevel.INFO, "before the outage " + calls)).isTrue();
      }
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();
      broker.stop();
      for (; calls < 3_000; calls++) {
        if (calls % 100 == 0) {
          awaitRoomFor(client, 100);
          Thread.sleep(20);
        }
        assertThat(client.sendLog(LogLevel.WARN, "during the outage " + calls)).isTrue();
      }
      int sent = calls;
      awaitStats(client, s -> s.spool(StreamKind.LOGS).spooled() > 0 && s.stream(StreamKind.LOGS).queued()
          == s.spool(StreamKind.LOGS).pending() && s.stream(StreamKind.LOGS).sent() + s.spool(StreamKind.LOGS).pending()
          == sent);
      broker.restart();
      DeliveryReport report = client.flush(Duration.ofSeconds(120));
      assertThat(report.isComplete()).as(report.toString()).isTrue();

      TributaryStats.StreamStats logs = client.stats().stream(StreamKind.LOGS);
      assertThat(logs.failed()).as("given up by Kafka, spilled, not failed: %s", client.stats()).isZero();
      assertThat(logs.dropped()).isZero();
      assertThat(logs.sent()).isEqualTo(calls);
      List<ConsumerRecord<String, String>> records = broker.reader().drain("logs.events", Duration.ofSeconds(2));
      SequenceTracker.Counts counts = Envelopes.track(records).counts("spiller", "logs");
      assertThat(counts.gaps()).isZero();
      assertThat(counts.received() - counts.duplicates()).isEqualTo(calls);
      client.close();
    }
  }

  @Test
  void logsStillSpilledAtShutdownAreSentByTheNextStart() throws Exception {
    int port = FreePorts.find();
    Path spool = dir.resolve("logs-spool");
    int count = 3_000;
    // Kafka is away for the whole first run: everything is spilled, nothing can be sent.
    Tributary first = builder("127.0.0.1:" + port).logsSpoolDir(spool).build();
    String firstRun = ((DefaultTributary) first).source().runId();
    for (int i = 0; i < count; i++) {
      if (i % 100 == 0) {
        awaitRoomFor(first, 100);
      }
      assertThat(first.sendLog(LogLevel.INFO, "first run " + i)).as("record %d accepted: %s", i, first.stats()).isTrue();
    }
    awaitStats(first, s -> s.spool(StreamKind.LOGS).spooled() == count);
    DeliveryReport report = first.shutdown(Duration.ofSeconds(2));
    assertThat(report.undelivered(StreamKind.LOGS)).as("left in the spool, not lost").isEqualTo(count);
    assertThat(first.stats().stream(StreamKind.LOGS).dropped()).isZero();

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      Tributary second = builder(broker.bootstrapServers()).logsSpoolDir(spool).build();
      try {
        awaitStats(second, s -> s.spool(StreamKind.LOGS).replayed() == count);
        TributaryStats.SpoolStats s = second.stats().spool(StreamKind.LOGS);
        assertThat(s.recovered()).isEqualTo(count);
        assertThat(s.tornRecords()).isZero();
        List<ConsumerRecord<String, String>> records = broker.reader().drain("logs.events", Duration.ofSeconds(2));
        assertThat(records).allMatch(r -> Envelopes.run(Envelopes.parse(r)).equals(firstRun));
        SequenceTracker.Counts counts = Envelopes.track(records).counts("spiller", "logs");
        assertThat(counts.gaps()).isZero();
        assertThat(counts.received() - counts.duplicates()).isEqualTo(count);
        assertLastDeliveriesInOrder(records, count);
        assertThat(second.shutdown(Duration.ofSeconds(10)).isComplete()).isTrue();
        // The final metrics step carries the logs spool's self-metrics.
        List<JsonNode> samples = broker.reader().drain("metrics.events", Duration.ofSeconds(1)).stream()
            .map(Envelopes::parse)
            .filter(e -> e.path("metric").path("name").asText().equals("tributary_client_spool_records_total"))
            .filter(e -> e.path("labels").path("stream").asText().equals("logs"))
            .toList();
        assertThat(samples).filteredOn(e -> e.path("labels").path("outcome").asText().equals("replayed"))
            .extracting(e -> e.path("metric").path("value").asDouble()).contains((double) count);
        assertThat(samples).filteredOn(e -> e.path("labels").path("outcome").asText().equals("dropped"))
            .extracting(e -> e.path("metric").path("value").asDouble()).containsOnly(0.0);
      } finally {
        second.close();
      }
    }
  }

  /**
   * The last delivery of every record is in sequence order 1..n: a resend after a rewind repeats
   * what followed the failed record, so any earlier delivery is a duplicate by seq. One partition
   * ({@code logs.key=instance}) and one request in flight make the order observable.
   */
  private static void assertLastDeliveriesInOrder(List<ConsumerRecord<String, String>> records, long n) {
    assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
    List<ConsumerRecord<String, String>> inOffsetOrder = new ArrayList<>(records);
    inOffsetOrder.sort((a, b) -> Long.compare(a.offset(), b.offset()));
    Set<Long> seen = new HashSet<>();
    List<Long> lastDeliveries = new ArrayList<>();
    for (int i = inOffsetOrder.size() - 1; i >= 0; i--) {
      JsonNode envelope = Envelopes.parse(inOffsetOrder.get(i));
      long seq = Envelopes.seq(envelope);
      if (seen.add(seq)) {
        lastDeliveries.add(seq);
      }
    }
    java.util.Collections.reverse(lastDeliveries);
    List<Long> expected = new ArrayList<>();
    for (long seq = 1; seq <= n; seq++) {
      expected.add(seq);
    }
    assertThat(lastDeliveries).as("in order").isEqualTo(expected);
  }

  private static TributaryBuilder builder(String bootstrap) {
    return Tributary.builder()
        .bootstrapServers(bootstrap)
        .serviceName("spiller")
        .instanceId("spiller-1")
        .logsOverflow(OverflowPolicy.SPILL)
        .logsBufferCapacity(500)
        .logsRateLimit(0)
        .logsKeyedByInstance(true)
        .producerProperty("buffer.memory", String.valueOf(1024 * 1024))
        // Strict order on one partition: acks=1 without idempotence reorders retried batches otherwise.
        .producerProperty("max.in.flight.requests.per.connection", "1")
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofHours(1));
  }

  /**
   * Waits until the in-memory buffer (500) has room for {@code records}: on a loaded machine the I/O
   * thread can be descheduled for longer than a burst takes to fill the buffer, and what this test
   * checks is the spill, not how fast a disk is.
   */
  private static void awaitRoomFor(Tributary client, int records) throws InterruptedException {
    awaitStats(client, s -> s.stream(StreamKind.LOGS).queued() - s.spool(StreamKind.LOGS).pending() <= 500 - records);
  }

  private static void awaitStats(Tributary client, Predicate<TributaryStats> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.test(client.stats())) {
      assertThat(System.nanoTime() - deadline).as("%s", client.stats()).isNegative();
      Thread.sleep(20);
    }
  }

  private static void parkUntil(long deadline) {
    while (System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(deadline - System.nanoTime());
    }
  }
}
