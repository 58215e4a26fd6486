package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.accounting.SequenceTracker;
import dev.tributary.internal.DefaultTributary;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's logs fault test: logs through a 10 s broker outage with a small buffer (and a small
 * producer buffer, so the outage reaches ours): what was dropped equals exactly what the counters
 * say, and the sequence numbers show nothing else missing.
 */
class LogOutageTest {
  private static final int BEFORE = 5_000;
  private static final int DURING = 20_000;

  @Test
  void logDropsDuringAnOutageEqualTheCountersAndNothingElseIsMissing() {
    int port = FreePorts.find();
    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      Tributary client = Tributary.builder()
          .bootstrapServers(broker.bootstrapServers())
          .serviceName("chatty")
          .instanceId("chatty-1")
          .logsBufferCapacity(500)
          .producerProperty("buffer.memory", String.valueOf(1024 * 1024))
          .metricsStep(Duration.ofHours(1))
          .healthInterval(Duration.ofHours(1))
          .build();
      long calls = 0;
      long refusedAtCall = 0;
      for (int i = 0; i < BEFORE; i++, calls++) {
        refusedAtCall += client.sendLog(LogLevel.INFO, "before the outage " + i) ? 0 : 1;
        if (i % 250 == 249) {
          assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue(); // no drops while the broker is up
        }
      }
      assertThat(client.stats().stream(StreamKind.LOGS).dropped()).isZero();
      broker.stop();
      long stopped = System.nanoTime();
      for (int i = 0; i < DURING; i++, calls++) {
        if (i % 2_000 == 0) {
          parkUntil(stopped + TimeUnit.MILLISECONDS.toNanos(500L * (i / 2_000)));
        }
        refusedAtCall += client.sendLog(LogLevel.WARN, "during the outage " + i + " " + "x".repeat(200)) ? 0 : 1;
      }
      parkUntil(stopped + TimeUnit.SECONDS.toNanos(10));
      broker.restart();
      DeliveryReport report = client.flush(Duration.ofSeconds(120));
      assertThat(report.isComplete()).as(report.toString()).isTrue();
      // One record after the outage turns drops at its very end into a visible gap too.
      assertThat(client.sendLog(LogLevel.INFO, "after the outage")).isTrue();
      calls++;
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();

      TributaryStats stats = client.stats();
      TributaryStats.StreamStats logs = stats.stream(StreamKind.LOGS);
      assertThat(logs.dropped()).as("the outage overflowed the buffer").isPositive();
      assertThat(logs.failed()).isZero();
      assertThat(logs.accepted() + logs.dropped() + logs.rejected()).as("every call accounted for").isEqualTo(calls);
      assertThat(logs.dropped() + logs.rejected()).isEqualTo(refusedAtCall);
      assertThat(logs.rejected()).as("only the rate limit rejects here").isEqualTo(stats.limited(StreamKind.LOGS));
      assertThat(logs.sent()).isEqualTo(logs.accepted());

      String run = ((DefaultTributary) client).source().runId();
      List<ConsumerRecord<String, String>> records = broker.reader().drain("logs.events", Duration.ofSeconds(2));
      SequenceTracker tracker = Envelopes.track(records);
      SequenceTracker.Counts counts = tracker.counts("chatty", "logs");
      assertThat(counts.gaps()).as("gaps are exactly the counted drops").isEqualTo(logs.dropped());
      assertThat(counts.received() - counts.duplicates()).as("distinct records delivered").isEqualTo(logs.sent());
      assertThat(records).allMatch(r -> Envelopes.run(Envelopes.parse(r)).equals(run));
      client.close();
    }
  }

  private static void parkUntil(long deadline) {
    while (System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(deadline - System.nanoTime());
    }
  }
}
