package dev.tributary.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaExporterTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final long T0 = 1_800_000_000_000L;

  private static KafkaExporter exporter(MutableClock clock, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>();
    values.put("bootstrap.servers", KAFKA.broker().bootstrapServers());
    values.put("http.port", "0");
    values.put("webhook.port", "0");
    values.put("admin.timeout", "5s");
    values.put("shutdown.timeout", "2s");
    values.putAll(extra);
    return KafkaExporter.createManual(SidecarConfig.of(KafkaExporterKeys.all(), values), clock).start();
  }

  @Test
  void lagAppearsAndClearsAsAConsumerFallsBehindAndCatchesUp() throws Exception {
    KafkaBroker kafka = KAFKA.broker();
    kafka.createTopic("lag.orders", 1);
    MutableClock clock = new MutableClock(T0);
    Map<String, String> p0 = Map.of("group", "billing", "topic", "lag.orders", "partition", "0");
    try (KafkaProducer<String, String> producer = producer(kafka);
        KafkaConsumer<String, String> consumer = consumer(kafka, "billing");
        KafkaExporter exporter = exporter(clock, Map.of("topics.pattern", "lag\\..*", "groups.pattern", "billing"))) {
      send(producer, "lag.orders", 100);
      consumer.subscribe(List.of("lag.orders"));
      consumeAndCommit(consumer, 100);

      assertThat(exporter.collect()).isNotNull();
      String caughtUp = Scrape.metrics(exporter.baseUrl());
      assertThat(Scrape.require(caughtUp, "tributary_kafka_consumergroup_lag_records", p0)).isZero();
      assertThat(Scrape.require(caughtUp, "tributary_kafka_consumergroup_lag_seconds", p0)).isZero();
      assertThat(Scrape.require(caughtUp, "tributary_kafka_consumergroup_members", Map.of("group", "billing"))).isEqualTo(1);
      assertThat(Scrape.require(caughtUp, "tributary_kafka_consumergroup_state",
          Map.of("group", "billing", "state", "stable"))).isEqualTo(1);
      assertThat(Scrape.require(caughtUp, "tributary_kafka_partition_log_end_offset",
          Map.of("topic", "lag.orders", "partition", "0"))).isEqualTo(100);
      assertThat(Scrape.require(caughtUp, "tributary_kafka_brokers", Map.of())).isEqualTo(1);
      assertThat(Scrape.require(caughtUp, "tributary_kafka_under_replicated_partitions", Map.of())).isZero();
      assertThat(Scrape.require(caughtUp, "tributary_kafka_offline_partitions", Map.of())).isZero();

      // The consumer falls behind: 50 records arrive in the next 30 s and it reads none of them.
      send(producer, "lag.orders", 50);
      clock.advance(Duration.ofSeconds(30));
      exporter.collect();
      String behind = Scrape.metrics(exporter.baseUrl());
      assertThat(Scrape.require(behind, "tributary_kafka_consumergroup_lag_records", p0)).isEqualTo(50);
      // The oldest unread record was appended after the sample at T0 and by T0+30s: interpolated to T0.
      assertThat(Scrape.require(behind, "tributary_kafka_consumergroup_lag_seconds", p0)).isEqualTo(30);
      assertThat(Scrape.require(behind, "tributary_kafka_topic_messages_per_second",
          Map.of("topic", "lag.orders"))).isEqualTo(50 / 30.0, org.assertj.core.data.Offset.offset(1e-9));

      clock.advance(Duration.ofSeconds(30));
      exporter.collect();
      String stillBehind = Scrape.metrics(exporter.baseUrl());
      assertThat(Scrape.require(stillBehind, "tributary_kafka_consumergroup_lag_records", p0)).isEqualTo(50);
      assertThat(Scrape.require(stillBehind, "tributary_kafka_consumergroup_lag_seconds", p0)).isEqualTo(60);

      // It catches up.
      consumeAndCommit(consumer, 50);
      clock.advance(Duration.ofSeconds(30));
      exporter.collect();
      String recovered = Scrape.metrics(exporter.baseUrl());
      assertThat(Scrape.require(recovered, "tributary_kafka_consumergroup_lag_records", p0)).isZero();
      assertThat(Scrape.require(recovered, "tributary_kafka_consumergroup_lag_seconds", p0)).isZero();
      assertThat(Scrape.require(recovered, "tributary_kafka_consumergroup_committed_offset", p0)).isEqualTo(150);
      promtoolAccepts(recovered);
      everyMetricIsDocumented(recovered);
    }
  }

  /** Every metric family on /metrics has a row in docs/kafka-exporter.md. */
  private static void everyMetricIsDocumented(String exposition) throws Exception {
    String docs = Files.readString(Path.of(System.getProperty("docs.dir"), "kafka-exporter.md"));
    Set<String> names = new java.util.TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        names.add(parts[2]); // text format 0.0.4: counters with _total, info as a gauge named *_info
      }
    }
    assertThat(names).hasSizeGreaterThan(25);
    for (String name : names) {
      assertThat(docs).as("docs/kafka-exporter.md documents %s", name).contains("| `" + name + "` |");
    }
  }

  /** The common endpoint keys every sidecar takes apply to the exporter too: basic auth here. */
  @Test
  void theEndpointsRequireTheConfiguredBasicAuth() throws Exception {
    String hash = OpenBSDBCrypt.generate("2y", "scrape-Secret-9".toCharArray(), new byte[16], 4);
    try (KafkaExporter exporter = exporter(new MutableClock(T0),
        Map.of("http.basic.auth.users", "prometheus:" + hash, "http.gzip.level", "9"))) {
      HttpResponse<String> anonymous = Scrape.get(exporter.baseUrl() + "/metrics");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"tributary\""));
      HttpResponse<String> signedIn = Scrape.HTTP.send(HttpRequest.newBuilder(URI.create(exporter.baseUrl() + "/metrics"))
          .header("Authorization", "Basic " + Base64.getEncoder()
              .encodeToString("prometheus:scrape-Secret-9".getBytes(StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(signedIn.statusCode()).isEqualTo(200);
      assertThat(signedIn.body()).contains("# TYPE ");
    }
  }

  @Test
  void partitionCountChangeIsSeen() throws Exception {
    KafkaBroker kafka = KAFKA.broker();
    kafka.createTopic("grow.events", 1);
    try (KafkaExporter exporter = exporter(new MutableClock(T0), Map.of("topics.pattern", "grow\\..*"))) {
      exporter.collect();
      String before = Scrape.metrics(exporter.baseUrl());
      Map<String, String> topic = Map.of("topic", "grow.events");
      assertThat(Scrape.require(before, "tributary_kafka_topic_partitions", topic)).isEqualTo(1);
      assertThat(Scrape.require(before, "tributary_kafka_topic_partition_count_changes_total", topic)).isZero();

      kafka.admin().createPartitions(Map.of("grow.events", NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).until(() -> exporter.collect().topics().stream()
          .anyMatch(t -> t.name().equals("grow.events") && t.partitions().size() == 3));

      String after = Scrape.metrics(exporter.baseUrl());
      assertThat(Scrape.require(after, "tributary_kafka_topic_partitions", topic)).isEqualTo(3);
      assertThat(Scrape.require(after, "tributary_kafka_topic_partition_count_changes_total", topic)).isEqualTo(1);
      assertThat(Scrape.require(after, "tributary_kafka_partition_leader",
          Map.of("topic", "grow.events", "partition", "2"))).isEqualTo(Scrape.require(after, "tributary_kafka_controller_id", Map.of()));
      assertThat(Scrape.require(after, "tributary_kafka_partition_in_sync_replicas",
          Map.of("topic", "grow.events", "partition", "2"))).isEqualTo(1);
    }
  }

  @Test
  void boundedWorkWithManyGroups() throws Exception {
    KafkaBroker kafka = KAFKA.broker();
    kafka.createTopic("many.events", 1);
    TopicPartition tp = new TopicPartition("many.events", 0);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = String.format("many-%02d", i);
      ids.add(id);
      kafka.admin().alterConsumerGroupOffsets(id, Map.of(tp, new OffsetAndMetadata(0))).all().get(30, TimeUnit.SECONDS);
    }
    MutableClock clock = new MutableClock(T0);
    try (KafkaExporter exporter = exporter(clock,
        Map.of("groups.pattern", "many-.*", "topics.pattern", "many\\..*", "max.groups.per.cycle", "10"))) {
      Set<String> seen = new HashSet<>();
      for (int cycle = 0; cycle < 5; cycle++) {
        clock.advance(Duration.ofSeconds(1));
        ClusterState state = exporter.collect();
        List<String> refreshed = state.groups().stream()
            .filter(g -> g.refreshedAtMillis() == clock.millis()).map(ClusterState.Group::id).toList();
        assertThat(refreshed).as("cycle %d", cycle).hasSize(10);
        assertThat(seen).as("cycle %d refreshes only groups not refreshed yet", cycle).doesNotContainAnyElementsOf(refreshed);
        seen.addAll(refreshed);
        assertThat(state.groups()).hasSize(seen.size()); // earlier refreshes are kept, not re-described
        assertThat(state.groupsListed()).isEqualTo(seen.size());
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
      String text = Scrape.metrics(exporter.baseUrl());
      assertThat(Scrape.require(text, "tributary_kafka_exporter_groups_described_total", Map.of())).isEqualTo(50);
      assertThat(Scrape.require(text, "tributary_kafka_consumergroups", Map.of())).isEqualTo(50);

      clock.advance(Duration.ofSeconds(1));
      List<String> sixth = exporter.collect().groups().stream()
          .filter(g -> g.refreshedAtMillis() == clock.millis()).map(ClusterState.Group::id).toList();
      assertThat(sixth).as("the rotation wraps around to the first ten").containsExactlyElementsOf(ids.subList(0, 10));
    }
  }

  @Test
  void webhookPublishesAlertsToAlertsEvents() throws Exception {
    try (KafkaExporter exporter = exporter(new MutableClock(T0), Map.of())) {
      String payload = Files.readString(Path.of("src/test/resources/alertmanager-webhook.json"));
      var response = Scrape.post(exporter.webhookUrl(), payload);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

      var records = KAFKA.broker().reader().records("alerts.events", 2, Duration.ofSeconds(30));
      assertThat(records).extracting(r -> r.key()).containsExactly("6f1e0b3a9d2c4e11", "0a9b8c7d6e5f4a3b");
      JsonNode firing = new com.fasterxml.jackson.databind.ObjectMapper().readTree(records.get(0).value());
      assertThat(firing.at("/tributary/type").asText()).isEqualTo("event");
      assertThat(firing.at("/event/domain").asText()).isEqualTo("alerts");
      assertThat(firing.at("/event/name").asText()).isEqualTo("alert.firing");
      assertThat(firing.at("/event/entity_id").asText()).isEqualTo("6f1e0b3a9d2c4e11");
      assertThat(firing.at("/service/name").asText()).isEqualTo("tributary-kafka-exporter");
      assertThat(firing.at("/attributes/alertname").asText()).isEqualTo("KafkaConsumerGroupLagHigh");
      assertThat(firing.at("/attributes/severity").asText()).isEqualTo("warning");
      assertThat(firing.at("/attributes/labels/group").asText()).isEqualTo("billing");
      assertThat(firing.at("/attributes/annotations/runbook_url").asText()).endsWith("KafkaConsumerGroupLagHigh.md");
      assertThat(firing.at("/attributes/starts_at").asText()).isEqualTo("2026-11-23T13:00:00Z");
      assertThat(firing.at("/attributes/receiver").asText()).isEqualTo("tributary");
      JsonNode resolved = new com.fasterxml.jackson.databind.ObjectMapper().readTree(records.get(1).value());
      assertThat(resolved.at("/event/name").asText()).isEqualTo("alert.resolved");
      assertThat(resolved.at("/attributes/status").asText()).isEqualTo("resolved");
      assertThat(resolved.at("/attributes/ends_at").asText()).isEqualTo("2026-11-23T13:20:00Z");

      var bad = Scrape.post(exporter.webhookUrl(), "{\"version\":\"3\",\"alerts\":[]}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("unsupported payload version");
      assertThat(Scrape.post(exporter.webhookUrl(), "not json").statusCode()).isEqualTo(400);
      String text = Scrape.metrics(exporter.baseUrl());
      assertThat(Scrape.require(text, "tributary_kafka_exporter_webhook_requests_total",
          Map.of("outcome", "bad_request"))).isEqualTo(2);
      assertThat(Scrape.require(text, "tributary_kafka_exporter_webhook_requests_total",
          Map.of("outcome", "accepted"))).isEqualTo(1);
      assertThat(Scrape.require(text, "tributary_kafka_exporter_alerts_published_total",
          Map.of("status", "firing"))).isEqualTo(1);
      assertThat(Scrape.require(text, "tributary_kafka_exporter_alerts_published_total",
          Map.of("status", "resolved"))).isEqualTo(1);
      assertThat(Scrape.get(exporter.webhookUrl()).statusCode()).isEqualTo(405);
    }
  }

  private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static KafkaConsumer<String, String> consumer(KafkaBroker kafka, String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private static void send(KafkaProducer<String, String> producer, String topic, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
    }
    producer.flush();
  }

  private static void consumeAndCommit(KafkaConsumer<String, String> consumer, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int got = 0;
    while (got < n) {
      assertThat(System.nanoTime()).as("consumed %d of %d within 30 s", got, n).isLessThan(deadline);
      ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
      got += records.count();
    }
    consumer.commitSync();
  }

  static void promtoolAccepts(String exposition) throws Exception {
    Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
