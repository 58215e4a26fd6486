package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tributary.accounting.SequenceTracker;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A spool directory that cannot be used, or a full spool: one clear ERROR in the SDK's log naming the
 * directory, the fallback policy, counted, and {@code sendEvent} and {@code sendLog} never throw.
 */
class SpoolFailureTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  @TempDir
  Path dir;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger spoolLogger = (Logger) LoggerFactory.getLogger("dev.tributary.internal.Spooler");

  @BeforeEach
  void captureLog() {
    log.start();
    spoolLogger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    spoolLogger.detachAppender(log);
  }

  @Test
  void anUnusableSpoolDirectoryIsOneErrorAndEventsFallBackToMemory() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Path spool = file.resolve("spool");
    Tributary client = builder(KAFKA.broker().bootstrapServers()).eventsSpoolDir(spool).build();
    for (int i = 0; i < 100; i++) {
      assertThat(client.sendEvent("unspooled", "thing.happened", "e-" + i, Map.of("i", i))).isTrue();
    }
    DeliveryReport report = client.flush(Duration.ofSeconds(30));
    assertThat(report.isComplete()).as(report.toString()).isTrue();

    List<ILoggingEvent> errors = errors(m -> m.contains("cannot use the event spool directory"));
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).getFormattedMessage()).contains(spool.toAbsolutePath().toString())
        .contains("Exception").contains("buffered in memory only (events.overflow=drop-newest)");
    TributaryStats stats = client.stats();
    assertThat(stats.spool().enabled()).isFalse();
    assertThat(stats.spool().errors()).isEqualTo(1);
    assertThat(stats.stream(StreamKind.EVENTS).sent()).isEqualTo(100);
    assertThat(KAFKA.broker().reader().drain("unspooled.events", Duration.ofSeconds(1))).hasSize(100);
    assertThat(client.shutdown(Duration.ofSeconds(10)).isComplete()).isTrue();
  }

  @Test
  void aSpoolDirectoryThatBecomesUsableIsUsedAgainInTheSameRun() throws Exception {
    int port = FreePorts.find();
    Path spool = dir.resolve("spool");
    // A real failure that holds for root too: a file where the spool directory should be.
    Files.writeString(spool, "a file where the spool directory should be");
    Tributary client = builder("127.0.0.1:" + port).eventsSpoolDir(spool).build();
    try {
      for (int i = 0; i < 50; i++) {
        assertThat(client.sendEvent("reopened", "thing.happened", "e-" + (i % 7), Map.of("i", i))).isTrue();
      }
      awaitStats(client, s -> s.spool().errors() == 1);
      assertThat(client.stats().spool().enabled()).isFalse();

      Files.delete(spool);
      awaitStats(client, s -> s.spool().enabled());
      for (int i = 50; i < 100; i++) {
        assertThat(client.sendEvent("reopened", "thing.happened", "e-" + (i % 7), Map.of("i", i))).isTrue();
      }
      // Kafka is still away: everything, including what waited in memory, is now in the spool.
      awaitStats(client, s -> s.spool().spooled() == 100);
      assertThat(client.stats().spool().errors()).as("one failure, reported once").isEqualTo(1);
      assertThat(errors(m -> m.contains("cannot use the event spool directory"))).hasSize(1);

      try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
        DeliveryReport report = client.flush(Duration.ofSeconds(60));
        assertThat(report.isComplete()).as(report.toString()).isTrue();
        List<ConsumerRecord<String, String>> records = broker.reader().drain("reopened.events", Duration.ofSeconds(1));
        SequenceTracker.Counts counts = Envelopes.track(records).counts("spooler", "reopened.events");
        assertThat(counts.received() - counts.duplicates()).isEqualTo(100);
        assertThat(counts.gaps()).isZero();
        assertThat(client.stats().stream(StreamKind.EVENTS).sent()).isEqualTo(100);
      }
    } finally {
      client.close();
    }
  }

  @Test
  void aWriteFailureMidRunIsOneErrorAndTheSpoolTakesWritesAgainOnceTheDirectoryIsBack() throws Exception {
    int port = FreePorts.find();
    Path spool = dir.resolve("spool");
    Path away = dir.resolve("spool.away");
    // 1 MiB bound: 128 KiB segments, so the spool creates a new segment file every few hundred events.
    Tributary client = builder("127.0.0.1:" + port).eventsSpoolDir(spool).eventsSpoolMaxBytes(1024 * 1024).build();
    try {
      int events = 0;
      for (; events < 100; events++) {
        assertThat(client.sendEvent("midrun", "thing.happened", "e-" + (events % 7), Map.of("i", events,
            "pad", "p".repeat(300)))).isTrue();
      }
      awaitStats(client, s -> s.spool().spooled() == 100);
      // Its first checkpoint written (with Kafka away the committed position stays where it is).
      awaitStats(client, s -> Files.exists(spool.resolve("checkpoint")));

      // The directory disappears while the client runs (a real failure that holds for root too): the
      // open segment file goes with it, and the next segment file cannot be created.
      Files.move(spool, away);
      Files.writeString(spool, "a file where the spool directory should be");
      for (; events < 1_000; events++) {
        assertThat(client.sendEvent("midrun", "thing.happened", "e-" + (events % 7), Map.of("i", events,
            "pad", "p".repeat(300)))).isTrue();
      }
      awaitStats(client, s -> s.spool().errors() == 1);
      List<ILoggingEvent> failures = errors(m -> m.contains("failed while writing"));
      assertThat(failures).hasSize(1);
      assertThat(failures.get(0).getFormattedMessage()).contains(spool.toAbsolutePath().toString())
          .contains("0 events being written were dropped").contains("the spool is tried again later");
      TributaryStats failed = client.stats();
      assertThat(failed.spool().spooled()).isLessThan(1_000);
      assertThat(failed.spool().recoveries()).isZero();

      // Fixed (space freed, the directory back): the next attempt (1 s after the failure) finds it
      // writable, and the events that waited in memory are spooled, the one being written first.
      Files.delete(spool);
      Files.move(away, spool);
      awaitStats(client, s -> s.spool().recoveries() == 1 && s.spool().spooled() == 1_000);
      assertThat(infos(m -> m.contains("takes writes again"))).hasSize(1);
      assertThat(client.stats().spool().errors()).as("one failure, reported once").isEqualTo(1);
      assertThat(errors(m -> true)).hasSize(1);
      assertThat(client.stats().stream(StreamKind.EVENTS).dropped()).isZero();

      try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
        DeliveryReport report = client.flush(Duration.ofSeconds(60));
        assertThat(report.isComplete()).as(report.toString()).isTrue();
        List<ConsumerRecord<String, String>> records = broker.reader().drain("midrun.events", Duration.ofSeconds(1));
        SequenceTracker.Counts counts = Envelopes.track(records).counts("spooler", "midrun.events");
        assertThat(counts.received() - counts.duplicates()).as("every event arrives").isEqualTo(1_000);
        assertThat(counts.gaps()).isZero();
        assertThat(client.stats().stream(StreamKind.EVENTS).sent()).isEqualTo(1_000);
      }
    } finally {
      client.close();
    }
  }

  @Test
  void aFullSpoolWithDropNewestDropsCountedAndTheRestArrives() throws Exception {
    int port = FreePorts.find();
    Tributary client = builder("127.0.0.1:" + port).eventsSpoolDir(dir.resolve("spool"))
        .eventsSpoolMaxBytes(64 * 1024).eventsSpoolOverflow(SpoolOverflow.DROP_NEWEST).build();
    int events = 2_000;
    for (int i = 0; i < events; i++) {
      assertThat(client.sendEvent("full", "thing.happened", "e-" + (i % 7), Map.of("i", i, "pad", "p".repeat(100))))
          .isTrue();
    }
    awaitStats(client, s -> s.spool().spooled() + s.spool().dropped() == events);
    TributaryStats offline = client.stats();
    assertThat(offline.spool().dropped()).isPositive();
    assertThat(offline.stream(StreamKind.EVENTS).dropped()).isEqualTo(offline.spool().dropped());
    assertThat(offline.spool().bytes()).isLessThanOrEqualTo(64 * 1024);
    assertThat(errors(m -> m.contains("is full"))).hasSize(1).first()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains(dir.resolve("spool").toAbsolutePath().toString())
            .contains("events.spool.overflow=drop-newest").contains("new events are dropped"));

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      DeliveryReport report = client.flush(Duration.ofSeconds(60));
      assertThat(report.isComplete()).as(report.toString()).isTrue();
      // A later event makes the dropped newest ones visible as a gap (a trailing loss has no later seq).
      assertThat(client.sendEvent("full", "thing.happened", "e-last", Map.of())).isTrue();
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();
      List<ConsumerRecord<String, String>> records = broker.reader().drain("full.events", Duration.ofSeconds(1));
      SequenceTracker.Counts counts = Envelopes.track(records).counts("spooler", "full.events");
      assertThat(counts.gaps()).isEqualTo(offline.spool().dropped());
      assertThat(counts.received() - counts.duplicates()).isEqualTo(offline.spool().spooled() + 1);
    } finally {
      client.close();
    }
  }

  @Test
  void aFullSpoolWithRejectTellsTheCallerThroughTheReturnValue() throws Exception {
    int port = FreePorts.find();
    Tributary client = builder("127.0.0.1:" + port).eventsSpoolDir(dir.resolve("spool"))
        .eventsSpoolMaxBytes(64 * 1024).eventsSpoolOverflow(SpoolOverflow.REJECT).eventsBufferCapacity(100).build();
    int[] outcome = sendUntilFullAndRefusing(
        i -> client.sendEvent("rejecting", "thing.happened", "e-" + (i % 7), Map.of("pad", "p".repeat(100))));
    int accepted = outcome[0];
    int refused = outcome[1];
    TributaryStats offline = client.stats();
    assertThat(offline.stream(StreamKind.EVENTS).accepted()).isEqualTo(accepted);
    assertThat(offline.stream(StreamKind.EVENTS).dropped()).as("refused at the call, counted").isEqualTo(refused);
    assertThat(offline.spool().dropped()).as("the spool itself drops nothing").isZero();
    assertThat(errors(m -> m.contains("is full"))).hasSize(1).first()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("sendEvent returns false"));

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      DeliveryReport report = client.flush(Duration.ofSeconds(60));
      assertThat(report.isComplete()).as(report.toString()).isTrue();
      assertThat(client.sendEvent("rejecting", "thing.happened", "e-last", Map.of())).isTrue();
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();
      List<ConsumerRecord<String, String>> records = broker.reader().drain("rejecting.events", Duration.ofSeconds(1));
      SequenceTracker.Counts counts = Envelopes.track(records).counts("spooler", "rejecting.events");
      assertThat(counts.received() - counts.duplicates()).as("every accepted event arrives").isEqualTo(accepted + 1);
      assertThat(counts.gaps()).as("the refused ones are the gaps").isEqualTo(refused);
    } finally {
      client.close();
    }
  }

  @Test
  void aFullLogsSpoolDropsTheOldestByDefaultCountedAndTheNewestArrive() throws Exception {
    int port = FreePorts.find();
    Path spool = dir.resolve("logs-spool");
    Tributary client = logsBuilder("127.0.0.1:" + port, spool).build(); // logs.spool.overflow: drop-oldest (default)
    int logs = 2_000;
    for (int i = 0; i < logs; i++) {
      assertThat(client.sendLog(LogLevel.INFO, "line " + i + " " + "p".repeat(100))).isTrue();
    }
    awaitStats(client, s -> s.spool(StreamKind.LOGS).spooled() == logs);
    TributaryStats offline = client.stats();
    TributaryStats.SpoolStats full = offline.spool(StreamKind.LOGS);
    assertThat(full.dropped()).as("the oldest were dropped to make room").isPositive();
    assertThat(full.pending()).isEqualTo(logs - full.dropped());
    assertThat(full.bytes()).isLessThanOrEqualTo(64 * 1024);
    assertThat(offline.stream(StreamKind.LOGS).dropped()).isEqualTo(full.dropped());
    assertThat(errors(m -> m.contains("is full"))).hasSize(1).first()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains(spool.toAbsolutePath().toString())
            .contains("logs.spool.overflow=drop-oldest").contains("the oldest log records are dropped"));

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      DeliveryReport report = client.flush(Duration.ofSeconds(60));
      assertThat(report.isComplete()).as(report.toString()).isTrue();
      List<ConsumerRecord<String, String>> records = broker.reader().drain("logs.events", Duration.ofSeconds(1));
      SequenceTracker.Counts counts = Envelopes.track(records).counts("spooler", "logs");
      assertThat(counts.received() - counts.duplicates()).as("every record kept arrives").isEqualTo(logs - full.dropped());
      assertThat(counts.gaps()).as("the dropped oldest are the gaps").isEqualTo(full.dropped());
      assertThat(records).anyMatch(r -> Envelopes.seq(Envelopes.parse(r)) == logs);
    } finally {
      client.close();
    }
  }

  @Test
  void aFullLogsSpoolWithRejectTellsTheCallerThroughTheReturnValue() throws Exception {
    int port = FreePorts.find();
    Tributary client = logsBuilder("127.0.0.1:" + port, dir.resolve("logs-spool"))
        .logsSpoolOverflow(SpoolOverflow.REJECT).logsBufferCapacity(100).build();
    int[] outcome = sendUntilFullAndRefusing(i -> client.sendLog(LogLevel.INFO, "line " + i + " " + "p".repeat(100)));
    int accepted = outcome[0];
    int refused = outcome[1];
    TributaryStats offline = client.stats();
    assertThat(offline.stream(StreamKind.LOGS).accepted()).isEqualTo(accepted);
    assertThat(offline.stream(StreamKind.LOGS).dropped()).as("refused at the call, counted").isEqualTo(refused);
    assertThat(offline.spool(StreamKind.LOGS).dropped()).as("the spool itself drops nothing").isZero();
    assertThat(errors(m -> m.contains("is full"))).hasSize(1).first()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("logs.spool.overflow=reject")
            .contains("sendLog returns false"));

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      DeliveryReport report = client.flush(Duration.ofSeconds(60));
      assertThat(report.isComplete()).as(report.toString()).isTrue();
      assertThat(client.sendLog(LogLevel.INFO, "after the outage")).isTrue();
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();
      List<ConsumerRecord<String, String>> records = broker.reader().drain("logs.events", Duration.ofSeconds(1));
      SequenceTracker.Counts counts = Envelopes.track(records).counts("spooler", "logs");
      assertThat(counts.received() - counts.duplicates()).as("every accepted record arrives").isEqualTo(accepted + 1);
      assertThat(counts.gaps()).as("the refused ones are the gaps").isEqualTo(refused);
    } finally {
      client.close();
    }
  }

  /**
   * Calls {@code send} (given the call's number) until the spool is full and the buffer has refused
   * 500 calls since; returns how many calls were accepted and refused.
   */
  private int[] sendUntilFullAndRefusing(java.util.function.IntPredicate send) throws InterruptedException {
    int accepted = 0;
    int refused = 0;
    int afterFull = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (afterFull < 500) {
      if (send.test(accepted + refused)) {
        accepted++;
      } else {
        refused++;
        if (!errors(m -> m.contains("is full")).isEmpty()) {
          afterFull++;
        }
      }
      if ((accepted + refused) % 50 == 0) {
        Thread.sleep(1); // let the I/O thread move the buffer into the spool
      }
      assertThat(System.nanoTime() - deadline).as("the spool fills").isNegative();
    }
    return new int[] {accepted, refused};
  }

  /** Logs spilled to {@code spool} (at most 64 KiB), no rate limit. */
  private static TributaryBuilder logsBuilder(String bootstrap, Path spool) {
    return builder(bootstrap).logsOverflow(OverflowPolicy.SPILL).logsSpoolDir(spool).logsSpoolMaxBytes(64 * 1024)
        .logsRateLimit(0);
  }

  private List<ILoggingEvent> infos(Predicate<String> message) {
    synchronized (log.list) {
      return log.list.stream().filter(e -> e.getLevel() == Level.INFO && message.test(e.getFormattedMessage())).toList();
    }
  }

  private static TributaryBuilder builder(String bootstrap) {
    return Tributary.builder()
        .bootstrapServers(bootstrap)
        .serviceName("spooler")
        .instanceId("spooler-1")
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofHours(1));
  }

  private List<ILoggingEvent> errors(Predicate<String> message) {
    synchronized (log.list) {
      return log.list.stream().filter(e -> e.getLevel() == Level.ERROR && message.test(e.getFormattedMessage())).toList();
    }
  }

  private static void awaitStats(Tributary client, Predicate<TributaryStats> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.test(client.stats())) {
      assertThat(System.nanoTime() - deadline).as("%s", client.stats()).isNegative();
      Thread.sleep(20);
    }
  }
}
