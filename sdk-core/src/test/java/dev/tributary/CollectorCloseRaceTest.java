package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.MetricEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A collector's registration and the client closed at the same moment on two threads: the
 * collector's final state is published, and nothing older is published after it.
 */
class CollectorCloseRaceTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  @RepeatedTest(5)
  void theFinalStepOfACollectorClosedConcurrentlyWithTheClientIsPublishedLast() throws Exception {
    String instance = "race-" + System.nanoTime();
    Tributary client = Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("race")
        .instanceId(instance)
        .metricsStep(Duration.ofMillis(5))
        .build();
    AtomicLong value = new AtomicLong();
    Registration registration = client.registerCollector(out -> out.accept(
        MetricSample.counter("race_total", null, null, 0, Map.of(), value.incrementAndGet())));
    CountDownLatch go = new CountDownLatch(1);
    Thread closer = new Thread(() -> {
      await(go);
      registration.close();
    });
    closer.start();
    go.countDown();
    client.close();
    closer.join(10_000);

    long last = -1;
    long count = 0;
    EnvelopeCodec codec = EnvelopeCodec.create();
    List<ConsumerRecord<String, String>> records = KAFKA.broker().reader().drain("metrics.events", Duration.ofSeconds(1));
    for (ConsumerRecord<String, String> r : records) {
      MetricEnvelope m = (MetricEnvelope) codec.decode(r.value().getBytes(StandardCharsets.UTF_8));
      if (m.source().instance().equals(instance) && m.name().equals("race_total")) {
        assertThat(m.value()).as("samples arrive in collection order").isGreaterThan(last);
        last = (long) m.value();
        count++;
      }
    }
    assertThat(count).isPositive();
    assertThat(last).as("the last published sample is the final collection").isEqualTo(value.get());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
