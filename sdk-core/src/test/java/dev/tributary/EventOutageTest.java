package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.accounting.SequenceTracker;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's first fault test: the broker goes away for 10 s in the middle of 100k events sent through
 * the spool, then comes back; every event arrives, in order per key, and the sequence numbers account
 * for every record (zero gaps; any duplicate is a replay overlap, identified by its seq).
 */
class EventOutageTest {
  private static final int EVENTS = 100_000;
  private static final int KEYS = 50;
  private static final String TOPIC = "outage.events";

  @TempDir
  Path spool;

  @Test
  void everyEventArrivesInOrderPerKeyThroughATenSecondBrokerOutage() {
    int port = FreePorts.find();
    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      broker.createTopic(TOPIC, 3);
      Tributary client = Tributary.builder()
          .bootstrapServers(broker.bootstrapServers())
          .serviceName("outage")
          .instanceId("outage-1")
          .eventsSpoolDir(spool)
          .eventsBufferCapacity(EVENTS)
          .metricsStep(Duration.ofHours(1))
          .healthInterval(Duration.ofHours(1))
          .build();
      int[] perKey = new int[KEYS];
      for (int i = 0; i < EVENTS / 2; i++) {
        send(client, i, perKey);
      }
      broker.stop();
      long stopped = System.nanoTime();
      // The second half during the outage, spread over it: ten bursts, one a second.
      for (int i = EVENTS / 2; i < EVENTS; i++) {
        if ((i - EVENTS / 2) % (EVENTS / 20) == 0) {
          parkUntil(stopped + TimeUnit.SECONDS.toNanos((i - EVENTS / 2) / (EVENTS / 20)));
        }
        send(client, i, perKey);
      }
      parkUntil(stopped + TimeUnit.SECONDS.toNanos(10));
      TributaryStats.SpoolStats during = client.stats().spool();
      assertThat(during.spooled()).as("everything sent is in the spool").isEqualTo(EVENTS);
      assertThat(during.pending()).as("the outage left events undelivered").isPositive();
      broker.restart();

      DeliveryReport report = client.flush(Duration.ofSeconds(120));
      assertThat(report.isComplete()).as(report.toString()).isTrue();
      TributaryStats.StreamStats stats = client.stats().stream(StreamKind.EVENTS);
      assertThat(stats.accepted()).isEqualTo(EVENTS);
      assertThat(stats.sent()).isEqualTo(EVENTS);
      assertThat(stats.dropped() + stats.failed() + stats.rejected()).isZero();
      assertThat(client.stats().spool().pending()).isZero();

      List<ConsumerRecord<String, String>> records = broker.reader().drain(TOPIC, Duration.ofSeconds(2));
      SequenceTracker tracker = Envelopes.track(records);
      SequenceTracker.Counts counts = tracker.counts("outage", TOPIC);
      assertThat(counts.gaps()).as("no event missing: %s, %d records, totals %s", counts, records.size(), tracker.totals()).isZero();
      assertThat(counts.received() - counts.duplicates()).as("distinct events").isEqualTo(EVENTS);
      assertThat(records).hasSize((int) (EVENTS + counts.duplicates()));
      assertInOrderPerKey(records, perKey);
      client.close();
    }
  }

  private static void send(Tributary client, int i, int[] perKey) {
    int key = i % KEYS;
    boolean accepted = client.sendEvent("outage", "thing.happened", "entity-" + key, Map.of("n", ++perKey[key]));
    assertThat(accepted).as("event %d accepted", i).isTrue();
  }

  /**
   * Per key, the last delivery of every event is in order 1..n: a resend after a rewind repeats what
   * followed the failed record, so any earlier, out-of-order delivery is a duplicate by seq.
   */
  private static void assertInOrderPerKey(List<ConsumerRecord<String, String>> records, int[] perKey) {
    Map<String, List<JsonNode>> byKey = new HashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Envelopes.parse(r));
    }
    assertThat(byKey).hasSize(KEYS);
    for (int key = 0; key < KEYS; key++) {
      List<JsonNode> list = byKey.get("entity-" + key);
      Set<Long> seen = new HashSet<>();
      List<Integer> lastDeliveries = new ArrayList<>();
      for (int i = list.size() - 1; i >= 0; i--) {
        if (seen.add(Envelopes.seq(list.get(i)))) {
          lastDeliveries.add(0, list.get(i).path("attributes").path("n").asInt());
        }
      }
      List<Integer> expected = new ArrayList<>();
      for (int n = 1; n <= perKey[key]; n++) {
        expected.add(n);
      }
      assertThat(lastDeliveries).as("entity-%d in order", key).isEqualTo(expected);
    }
  }

  private static void parkUntil(long deadline) {
    while (System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(deadline - System.nanoTime());
    }
  }
}
