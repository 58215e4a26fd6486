package dev.tributary.logback;

import static dev.tributary.logback.LogbackContexts.appender;
import static dev.tributary.logback.LogbackContexts.configure;
import static dev.tributary.logback.LogbackContexts.fallback;
import static dev.tributary.logback.LogbackContexts.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import dev.tributary.StreamKind;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The application starts and logs with no broker at the configured address; its logs flow once a
 * broker appears there, and stopping the LoggerContext delivers what is buffered.
 */
class KafkaAbsentTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration QUIET = Duration.ofSeconds(1);
  /** KafkaProducer's default max.block.ms: one call waiting on metadata would take this long. */
  private static final Duration ONE_MAX_BLOCK = Duration.ofSeconds(60);

  private LoggerContext context;

  @AfterEach
  void stopContext() {
    if (context != null) {
      context.stop();
    }
  }

  private TributaryAppender start(int port, String service, String topic, String more) {
    context = configure(AppenderXml.withFallback(AppenderXml.client(service, topic, more)),
        Map.of("bootstrap", "127.0.0.1:" + port));
    assertThat(statuses(context, Status.WARN)).as("configuration problems").isEmpty();
    return appender(context, "TRIBUTARY");
  }

  @Test
  void loggingCallsReturnWhileKafkaIsAbsentAndLogsFlowOnceTheBrokerStarts() {
    int port = FreePorts.find();
    int calls = 10_000;
    TributaryAppender appender = start(port, "offline", "logs.offline", "<bufferCapacity>20000</bufferCapacity>");
    Logger log = context.getLogger("com.acme.Offline");

    long began = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      log.info("line {}", i);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    // Not a latency claim: had even one call waited on metadata, this would take a max.block.ms.
    assertThat(took).isLessThan(ONE_MAX_BLOCK.dividedBy(2));
    assertThat(appender.getShippedCount()).isEqualTo(calls);
    assertThat(appender.getClientStats().stream(StreamKind.LOGS).sent()).isZero();

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      List<ConsumerRecord<String, String>> records = broker.reader().records("logs.offline", calls, WAIT);
      assertThat(records.size()).isEqualTo(calls);
      Set<String> lines = new HashSet<>();
      records.forEach(r -> lines.add(r.value().replaceAll(".*\"message\":\"(line \\d+)\".*", "$1")));
      assertThat(lines.size()).isEqualTo(calls);
      assertThat(lines).contains("line 0", "line " + (calls - 1));
      context.stop();
      assertThat(broker.reader().drain("logs.offline", QUIET).size()).isEqualTo(calls);
    }
  }

  @Test
  void eventsRefusedByAFullBufferGoToTheFallbackAndAreCounted() {
    int port = FreePorts.find();
    TributaryAppender appender = start(port, "overflow", "logs.overflow", "<bufferCapacity>10</bufferCapacity>");
    CollectingAppender fallback = fallback(appender, "FALLBACK");
    Logger log = context.getLogger("com.acme.Overflow");

    for (int i = 0; i < 100; i++) {
      log.info("line {}", i);
    }

    // The buffer, plus the one record the client's I/O thread may hold for retry.
    assertThat(appender.getShippedCount()).isBetween(10L, 11L);
    assertThat(appender.getDroppedCount()).isEqualTo(100 - appender.getShippedCount());
    assertThat(fallback.count()).isEqualTo(appender.getDroppedCount());
    assertThat(appender.getFallbackCount()).isEqualTo(appender.getDroppedCount());
    assertThat(fallback.messages()).endsWith("line 99");
    assertThat(appender.getClientStats().stream(StreamKind.LOGS).dropped()).isEqualTo(appender.getDroppedCount());
    assertThat(statuses(context, Status.WARN)).containsExactly("TributaryAppender[TRIBUTARY]: dropped "
        + "1 log event(s) since the last warning (1 in all): the client's buffer is full or the client is closed;"
        + " dropped events go to the fallback appenders, if any");
  }

  @Test
  void loggerContextStopDeliversEveryBufferedEvent() {
    int port = FreePorts.find();
    int calls = 5_000;
    TributaryAppender appender = start(port, "stopping", "logs.stopping", "<closeTimeout>30 seconds</closeTimeout>");
    Logger log = context.getLogger("com.acme.Stopping");
    for (int i = 0; i < calls; i++) {
      log.info("line {}", i);
    }
    assertThat(appender.getClientStats().stream(StreamKind.LOGS).queued()).as("all buffered").isEqualTo(calls);

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      context.stop();

      assertThat(broker.reader().drain("logs.stopping", QUIET).size()).isEqualTo(calls);
      assertThat(appender.getClientStats().stream(StreamKind.LOGS).sent()).isEqualTo(calls);
      assertThat(statuses(context, Status.INFO)).contains("TributaryAppender[TRIBUTARY]: stopped; every accepted log"
          + " record was delivered (shipped 5000, dropped 0, excluded 0, recursive 0, to fallback 0)");
    }
  }

  @Test
  void withSpillTheLogsOfARunWithoutKafkaAreSentByTheNextStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    int port = FreePorts.find();
    int calls = 3_000;
    String spill = "<overflowPolicy>spill</overflowPolicy><spoolDir>" + dir.resolve("spool") + "</spoolDir>"
        + "<closeTimeout>2 seconds</closeTimeout>";
    TributaryAppender appender = start(port, "spilling", "logs.spilling", spill);
    assertThat(appender.getOverflowPolicy()).isEqualTo("SPILL");
    assertThat(appender.getSpoolDir()).isEqualTo(dir.resolve("spool").toString());
    Logger log = context.getLogger("com.acme.Spilling");
    for (int i = 0; i < calls; i++) {
      log.info("line {}", i);
    }
    context.stop();
    assertThat(appender.getClientStats().stream(StreamKind.LOGS).dropped()).isZero();
    assertThat(appender.getClientStats().spool(StreamKind.LOGS).pending()).as("kept in the spool").isEqualTo(calls);

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      TributaryAppender next = start(port, "spilling", "logs.spilling", spill);
      List<ConsumerRecord<String, String>> records = broker.reader().records("logs.spilling", calls, WAIT);
      Set<String> lines = new HashSet<>();
      records.forEach(r -> lines.add(read(r.value())));
      assertThat(lines).hasSize(calls).contains("line 0", "line " + (calls - 1));
      assertThat(next.getClientStats().spool(StreamKind.LOGS).recovered()).isEqualTo(calls);
    }
  }

  private static String read(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("message").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void stopReportsWhatItCouldNotDeliverThroughTheStatusSystem() {
    int port = FreePorts.find();
    TributaryAppender appender = start(port, "unreachable", "logs.unreachable",
        "<closeTimeout>300 milliseconds</closeTimeout>");
    Logger log = context.getLogger("com.acme.Unreachable");
    for (int i = 0; i < 50; i++) {
      log.info("line {}", i);
    }

    long began = System.nanoTime();
    context.stop();
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(took).as("bounded by closeTimeout, not by Kafka").isLessThan(Duration.ofSeconds(10));
    assertThat(statuses(context, Status.WARN)).containsExactly("TributaryAppender[TRIBUTARY]: stopped; 50 log"
        + " record(s) were not delivered within closeTimeout 300 milliseconds (shipped 50, dropped 0, excluded 0,"
        + " recursive 0, to fallback 0)");
    assertThat(appender.getClientStats().stream(StreamKind.LOGS).dropped()).isEqualTo(50);
  }
}
