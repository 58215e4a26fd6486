package dev.tributary.sidecar.prometheus;

import static dev.tributary.sidecar.prometheus.SidecarHarness.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.HealthEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two sidecars in one group: disjoint instances, the same union, no series shown twice for long. */
class ScaleOutTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  static final int INSTANCES = 12;
  static final long SCRAPE_INTERVAL_MILLIS = 1000;

  static Set<String> series(String exposition) {
    return exposition.lines().filter(l -> l.startsWith("orders_total{") || l.startsWith("tributary_up{"))
        .collect(Collectors.toSet());
  }

  @Test
  void twoMembersServeDisjointInstancesWhoseUnionIsTheWhole() throws Exception {
    SidecarHarness.createTopics(KAFKA.broker(), "scale", 3);
    long now = System.currentTimeMillis();
    EnvelopeCodec codec = EnvelopeCodec.create();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < INSTANCES; i++) {
        String instance = "shop-" + i;
        byte[] key = ("shop/" + instance).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>("scale.metrics.events", key,
            codec.encode(Envelopes.counter(instance, "orders", now, i, Map.of()))));
        producer.send(new ProducerRecord<>("scale.health.events", key,
            codec.encode(Envelopes.heartbeat(instance, now, HealthEnvelope.Status.UP, 600_000))));
      }
      producer.flush();
    }
    Map<String, String> config = SidecarHarness.config(KAFKA.broker(), "scale");
    try (PrometheusSidecar a = SidecarHarness.start(config, Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> series(scrape(a.baseUrl(), null)).size() == 2 * INSTANCES);
      Set<String> whole = series(scrape(a.baseUrl(), null));

      try (PrometheusSidecar b = SidecarHarness.start(config, Clock.systemUTC())) {
        Map<String, Long> bothSince = new HashMap<>();
        long longestOverlap = 0;
        long deadline = System.currentTimeMillis() + 30_000;
        boolean settled = false;
        while (System.currentTimeMillis() < deadline && !settled) {
          Set<String> sa = series(scrape(a.baseUrl(), null));
          Set<String> sb = series(scrape(b.baseUrl(), null));
          long t = System.currentTimeMillis();
          Set<String> both = new HashSet<>(sa);
          both.retainAll(sb);
          for (String s : both) {
            longestOverlap = Math.max(longestOverlap, t - bothSince.computeIfAbsent(s, k -> t));
          }
          bothSince.keySet().retainAll(both);
          Set<String> union = new HashSet<>(sa);
          union.addAll(sb);
          settled = !sa.isEmpty() && !sb.isEmpty() && both.isEmpty() && union.equals(whole);
          Thread.sleep(100); // the scrape cadence of this test's two "Prometheus" pollers
        }
        assertThat(settled).as("both members serve, disjointly, everything one served").isTrue();
        assertThat(longestOverlap).as("longest time a series was exposed by both members, ms").isLessThan(SCRAPE_INTERVAL_MILLIS);
      }
    }
  }
}
