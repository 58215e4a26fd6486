package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A service starts and runs with Kafka down: no call waits on metadata, what overflows the buffer is
 * counted exactly, and what was buffered flows once a broker appears at the configured address.
 */
class BrokerAbsentTest {
  private static final int CALLS = 100_000;
  private static final int CAPACITY = 1_000;

  @Test
  void callsReturnPromptlyOverflowIsCountedExactlyAndBufferedRecordsFlowOnceTheBrokerAppears() throws Exception {
    int port = FreePorts.find();
    long buildStart = System.nanoTime();
    Tributary client = Tributary.builder()
        .bootstrapServers("127.0.0.1:" + port)
        .serviceName("offline")
        .instanceId("offline-1")
        .logsBufferCapacity(CAPACITY)
        .logsRateLimit(0) // this test is about the buffer; 100k calls in a loop would also meet the rate limit
        .healthInterval(Duration.ofHours(1))
        .metricsStep(Duration.ofHours(1))
        .build();
    long built = System.nanoTime() - buildStart;

    long sendStart = System.nanoTime();
    int accepted = 0;
    for (int i = 0; i < CALLS; i++) {
      if (client.sendLog(LogLevel.INFO, "record " + i)) {
        accepted++;
      }
    }
    long sending = System.nanoTime() - sendStart;
    // KafkaProducer's default max.block.ms is 60 s; a single call waiting on metadata would show.
    assertThat(TimeUnit.NANOSECONDS.toSeconds(built)).as("build() waits on nothing").isLessThan(10);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(sending)).as("100k sends wait on nothing").isLessThan(20);

    TributaryStats.StreamStats offline = client.stats().stream(StreamKind.LOGS);
    assertThat(offline.accepted()).isEqualTo(accepted);
    assertThat(offline.accepted() + offline.dropped()).isEqualTo(CALLS);
    // The buffer, plus the small batch (at most a sixteenth of the capacity) the I/O thread took
    // from it, one record of which it holds for retry.
    assertThat(accepted).isBetween(CAPACITY, CAPACITY + CAPACITY / 16);
    assertThat(offline.sent()).isZero();

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      DeliveryReport flushed = client.flush(Duration.ofSeconds(60));
      assertThat(flushed.isComplete()).as(flushed.toString()).isTrue();
      TributaryStats.StreamStats online = client.stats().stream(StreamKind.LOGS);
      assertThat(online.sent()).isEqualTo(accepted);
      assertThat(online.failed()).isZero();

      var records = broker.reader().drain("logs.events", Duration.ofSeconds(1));
      assertThat(records).hasSize(accepted);
      // Every record missing from the topic is a counted drop, visible as a sequence gap.
      Set<Long> seqs = new HashSet<>();
      for (ConsumerRecord<String, String> r : records) {
        seqs.add(sequence(r.value()));
      }
      assertThat(seqs).hasSize(accepted);
      long gaps = CALLS - seqs.size();
      assertThat(gaps).isEqualTo(online.dropped());
      client.close();
    }
  }

  private static long sequence(String json) {
    int at = json.indexOf("\"seq\":") + 6;
    int end = json.indexOf('}', at);
    return Long.parseLong(json.substring(at, end));
  }
}
