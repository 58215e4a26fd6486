package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.LogEntry;
import dev.tributary.LogLevel;
import dev.tributary.Tributary;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.SearchServer;
import dev.tributary.wire.Envelope;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.LogEnvelope;
import dev.tributary.wire.Source;
import dev.tributary.wire.WireHeaders;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The end-to-end behaviour of the sidecar against one real server: SDK → Kafka → sidecar →
 * Elasticsearch/OpenSearch. {@link SidecarEndToEndTest} runs it against each distribution, one
 * server start per distribution. Every test has its own topics, services and consumer group (a
 * prefix), so the tests share the broker and the server without seeing each other's data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SidecarContract {
  /** {@code -Dtributary.test.outage=30s}: how long Elasticsearch is down in the outage test. */
  static final Duration DEFAULT_OUTAGE = Duration.ofSeconds(30);
  static final Duration INDEXED_WITHIN = Duration.ofSeconds(120);
  private static final AtomicInteger TESTS = new AtomicInteger();

  final Distribution distribution;
  final Duration outage;
  SearchServer server;
  SearchClient search;

  SidecarContract(Distribution distribution, Duration outage) {
    this.distribution = distribution;
    this.outage = outage;
  }

  abstract KafkaBroker broker();

  @BeforeAll
  void startServer() {
    server = distribution.start();
    search = new SearchClient(server.url());
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Topic, service and domain names of one test. */
  final class Names {
    final String p;
    final String logsTopic;
    final String service;
    final String domain;
    final String eventsTopic;

    Names(TestInfo info) {
      p = "d" + distribution.ordinal() + "t" + TESTS.incrementAndGet();
      logsTopic = p + "-logs.events";
      service = p + "-checkout";
      domain = p + "-payment";
      eventsTopic = domain + ".events";
      broker().createTopic(logsTopic, 3);
      broker().createTopic(eventsTopic, 2);
    }

    Map<String, String> sidecarConfig() {
      Map<String, String> c = new LinkedHashMap<>();
      c.put("bootstrap.servers", broker().bootstrapServers());
      c.put("elasticsearch.url", server.url());
      c.put("group.id", p + "-sidecar");
      c.put("http.port", "0");
      c.put("topics.pattern", Pattern.quote(p) + "-.*\\.events");
      c.put("topics.exclude", p + "-metrics.events," + p + "-health.events");
      c.put("logs.topic", logsTopic);
      c.put("elasticsearch.retry.max.backoff", "2s");
      c.put("elasticsearch.index.replicas", "0");
      c.put("shutdown.timeout", "5s");
      c.put("kafka.metadata.max.age.ms", "500");
      return c;
    }

    ElasticsearchSidecar startSidecar(Map<String, String> overrides) {
      Map<String, String> c = sidecarConfig();
      c.putAll(overrides);
      return ElasticsearchSidecar.start(SidecarConfig.of(ElasticsearchSettings.keys(), c));
    }

    Tributary client() {
      return Tributary.builder()
          .bootstrapServers(broker().bootstrapServers())
          .serviceName(service)
          .instanceId("i-1")
          .logsTopic(logsTopic)
          .metricsTopic(p + "-metrics.events")
          .healthTopic(p + "-health.events")
          .build();
    }

    String logsPattern() {
      return "logs-" + service + "-*";
    }

    String eventsPattern() {
      return "events-" + domain + "-*";
    }

    /** {@code identity -> record} of everything in {@code topic}. */
    Map<String, Envelope> envelopes(String topic, int expected) {
      List<ConsumerRecord<String, String>> records = broker().reader().records(topic, expected, Duration.ofSeconds(60));
      Map<String, Envelope> out = new HashMap<>();
      for (ConsumerRecord<String, String> r : records) {
        try {
          Envelope e = EnvelopeCodec.create().decode(r.value().getBytes(StandardCharsets.UTF_8));
          out.put(e.identity(), e);
        } catch (Exception ex) {
          // not an envelope: not expected in the index
        }
      }
      return out;
    }
  }

  // --- the contract ----------------------------------------------------------------------------

  @Test
  void logsAndEventsAreIndexedUnderTheirIdentityInIndicesDatedByTheirTimestamp(TestInfo info) throws Exception {
    Names n = new Names(info);
    long newYearsEve = Instant.parse("2025-12-31T23:59:59.500Z").toEpochMilli();
    long newYear = Instant.parse("2026-01-01T00:00:00.250Z").toEpochMilli();
    try (ElasticsearchSidecar sidecar = n.startSidecar(Map.of());
        Tributary client = n.client()) {
      for (int i = 0; i < 40; i++) {
        client.sendLog(LogEntry.builder(i % 2 == 0 ? LogLevel.INFO : LogLevel.WARN, "order " + i + " checked out")
            .timestamp(i < 20 ? newYearsEve : newYear)
            .label("region", "eu-west")
            .field("order_total", i * 10)
            .build());
      }
      for (int i = 0; i < 10; i++) {
        client.sendEvent(n.domain, "payment.completed", "order-" + i, Map.of("amount", i, "currency", "EUR"));
      }
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();

      Map<String, Envelope> logs = n.envelopes(n.logsTopic, 40);
      Map<String, Envelope> events = n.envelopes(n.eventsTopic, 10);
      assertThat(logs).hasSize(40);
      assertThat(events).hasSize(10);

      await().atMost(INDEXED_WITHIN).until(() -> search.count(n.logsPattern()) == 40 && search.count(n.eventsPattern()) == 10);

      Map<String, String> logIds = search.ids(n.logsPattern());
      assertThat(logIds.keySet()).isEqualTo(logs.keySet());
      logIds.forEach((id, index) -> {
        String day = logs.get(id).timestamp() == newYearsEve ? "2025.12.31" : "2026.01.01";
        assertThat(index).isEqualTo("logs-" + n.service + "-" + day);
      });
      Map<String, String> eventIds = search.ids(n.eventsPattern());
      assertThat(eventIds.keySet()).isEqualTo(events.keySet());
      String today = IndexNaming.sanitize(n.domain) + "-";
      assertThat(eventIds.values()).allMatch(index -> index.startsWith("events-" + today));

      // The document is the envelope as sent, and the templates' mappings apply.
      JsonNode doc = search.sources("logs-" + n.service + "-2025.12.31").get(0).path("_source");
      assertThat(doc.path("service").path("name").asText()).isEqualTo(n.service);
      assertThat(doc.path("labels").path("region").asText()).isEqualTo("eu-west");
      String index = "logs-" + n.service + "-2025.12.31";
      assertThat(search.fieldMapping(index, "service.name").path("name").path("type").asText()).isEqualTo("keyword");
      assertThat(search.fieldMapping(index, "message").path("message").path("type").asText()).isEqualTo("text");
      assertThat(search.fieldMapping(index, "@timestamp").path("@timestamp").path("type").asText()).isEqualTo("date");
      assertThat(search.fieldMapping(index, "labels.region").path("region").path("type").asText()).isEqualTo("keyword");
      assertThat(search.fieldMapping(index, "log.level").path("level").path("type").asText()).isEqualTo("keyword");

      // Self-metrics count what happened.
      String metrics = get(sidecar.endpoint() + "/metrics");
      assertThat(metrics).contains("tributary_elasticsearch_documents_indexed_total{kind=\"logs\"} 40.0");
      assertThat(metrics).contains("tributary_elasticsearch_documents_indexed_total{kind=\"events\"} 10.0");
      // Outcomes that did not happen are there at 0, for alerts on increase(..).
      assertThat(metrics).contains("tributary_elasticsearch_bulk_requests_total{outcome=\"failed\"} 0.0",
          "tributary_elasticsearch_template_installs_total{outcome=\"failed\"} 0.0");
      assertThat(get(sidecar.endpoint() + "/ready")).isEqualTo("ready\n");
    }
  }

  @Test
  void aMalformedRecordABrokenEnvelopeAndAMappingConflictGoToTheDeadLetterTopicWithTheirReasons(TestInfo info)
      throws Exception {
    Names n = new Names(info);
    Source source = new Source(n.service, "i-1", null, null, "run-dlq");
    long now = System.currentTimeMillis();
    try (ElasticsearchSidecar sidecar = n.startSidecar(Map.of());
        KafkaProducer<byte[], byte[]> producer = producer()) {
      // fields.amount becomes an object in the mapping...
      producer.send(record(n.logsTopic, log(source, 1, now, Map.of("amount", Map.of("value", 1))))).get();
      await().atMost(INDEXED_WITHIN).until(() -> search.count(n.logsPattern()) == 1);
      // ...so a number there conflicts; and a record that is not JSON at all; and an envelope that
      // lost its sequence number (a broken Tributary producer, not a foreign one).
      producer.send(record(n.logsTopic, "this is not an envelope".getBytes(StandardCharsets.UTF_8))).get();
      producer.send(record(n.logsTopic, log(source, 2, now, Map.of("amount", 5)))).get();
      String broken = new String(log(source, 99, now, Map.of()), StandardCharsets.UTF_8).replace(",\"seq\":99", "");
      producer.send(record(n.logsTopic, broken.getBytes(StandardCharsets.UTF_8))).get();
      for (int seq = 3; seq <= 7; seq++) {
        producer.send(record(n.logsTopic, log(source, seq, now, Map.of("amount", Map.of("value", seq))))).get();
      }
      // A JSON object from another producer is indexed under topic-partition-offset...
      String foreign = "{\"@timestamp\":\"2026-02-03T04:05:06Z\",\"service\":{\"name\":\"" + n.service
          + "\"},\"message\":\"from a shipper\"}";
      long foreignOffset = producer.send(record(n.logsTopic, foreign.getBytes(StandardCharsets.UTF_8))).get().offset();
      // ...and a replay of seq 3 overwrites its document and counts as a duplicate.
      producer.send(record(n.logsTopic, log(source, 3, now, Map.of("amount", Map.of("value", 3))))).get();

      List<ConsumerRecord<String, String>> dead = broker().reader().records(n.logsTopic + ".dlq", 3, Duration.ofSeconds(60));
      await().atMost(INDEXED_WITHIN).until(() -> search.count(n.logsPattern()) == 7
          && metric(sidecar, "tributary_sidecar_sequence_duplicates_total{service=\"" + n.service + "\"}") == 1);
      assertThat(broker().reader().drain(n.logsTopic + ".dlq", Duration.ofSeconds(1))).hasSize(3);

      Map<String, ConsumerRecord<String, String>> byReason = new HashMap<>();
      for (ConsumerRecord<String, String> r : dead) {
        byReason.put(header(r, WireHeaders.DLQ_REASON), r);
      }
      assertThat(byReason).containsOnlyKeys("malformed_json", "mapping_conflict", "missing_field");
      assertThat(byReason.get("malformed_json").value()).isEqualTo("this is not an envelope");
      assertThat(header(byReason.get("missing_field"), WireHeaders.DLQ_ERROR)).contains("seq");
      ConsumerRecord<String, String> conflict = byReason.get("mapping_conflict");
      assertThat(header(conflict, WireHeaders.DLQ_ERROR)).contains("status=400").contains("amount");
      assertThat(header(conflict, WireHeaders.DLQ_ORIGIN)).startsWith(n.logsTopic + "-");
      assertThat(conflict.value()).contains("\"seq\":2");

      Set<String> expected = new HashSet<>();
      for (int seq : new int[] {1, 3, 4, 5, 6, 7}) {
        expected.add("i-1:run-dlq:logs:" + seq);
      }
      expected.add(n.logsTopic + "-0-" + foreignOffset);
      Map<String, String> ids = search.ids(n.logsPattern());
      assertThat(ids.keySet()).isEqualTo(expected);
      assertThat(ids.get(n.logsTopic + "-0-" + foreignOffset)).isEqualTo("logs-" + n.service + "-2026.02.03");
      String metrics = get(sidecar.endpoint() + "/metrics");
      assertThat(metrics).contains("reason=\"mapping_conflict\"").contains("reason=\"malformed_json\"");
    }
  }

  @Test
  void elasticsearchDownForAWhileLosesNothingAndDuplicatesNothing(TestInfo info) throws Exception {
    Names n = new Names(info);
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    try (ElasticsearchSidecar sidecar = n.startSidecar(Map.of("elasticsearch.buffer.max.records", "500"));
        Tributary client = n.client()) {
      Thread producer = new Thread(() -> {
        while (producing.get()) {
          int i = sent.incrementAndGet();
          client.sendLog(LogLevel.INFO, "message " + i, Map.of("i", i));
          if (i % 10 == 0) {
            client.sendEvent(n.domain, "payment.authorized", "order-" + i, Map.of("i", i));
          }
          try {
            Thread.sleep(10); // a steady stream, ~100 logs/s: load generation, not a timing assumption
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "test-producer");
      producer.start();
      try {
        await().atMost(INDEXED_WITHIN).until(() -> search.count(n.logsPattern()) >= 100);
        server.stop();
        // The sidecar notices and pauses instead of buffering without bound.
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge(sidecar, "tributary_elasticsearch_paused_partitions") > 0);
        assertThat(gauge(sidecar, "tributary_elasticsearch_up")).isZero();
        Thread.sleep(outage.toMillis()); // the outage itself
        assertThat(gauge(sidecar, "tributary_elasticsearch_buffered_documents")).isLessThanOrEqualTo(500 + 2000);
        server.restart();
        await().atMost(INDEXED_WITHIN).until(() -> search.count(n.logsPattern()) > 0
            && gauge(sidecar, "tributary_elasticsearch_paused_partitions") == 0);
      } finally {
        producing.set(false);
        producer.join(10_000);
      }
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();
      int logsSent = sent.get();
      Map<String, Envelope> logs = n.envelopes(n.logsTopic, logsSent);
      Map<String, Envelope> events = n.envelopes(n.eventsTopic, logsSent / 10);
      assertThat(logs).hasSize(logsSent);

      await().atMost(INDEXED_WITHIN).until(() -> search.count(n.logsPattern()) == logs.size()
          && search.count(n.eventsPattern()) == events.size());
      assertThat(search.ids(n.logsPattern()).keySet()).isEqualTo(logs.keySet());
      assertThat(search.ids(n.eventsPattern()).keySet()).isEqualTo(events.keySet());
      assertThat(get(sidecar.endpoint() + "/metrics")).contains("tributary_elasticsearch_retries_total{status=\"0\"}");
    }
  }

  @Test
  void theSidecarKilledWithSigkillMidStreamLosesNothingAndDuplicatesNothing(TestInfo info) throws Exception {
    Names n = new Names(info);
    int total = 9000;
    try (Tributary client = n.client()) {
      for (int i = 0; i < total; i++) {
        client.sendLog(LogLevel.INFO, "payload " + i + " " + "x".repeat(200), Map.of("i", i));
        if (i % 1000 == 999) {
          client.flush(Duration.ofSeconds(30)); // stay within the SDK's buffer
        }
      }
      client.flush(Duration.ofSeconds(30));
    }
    Map<String, Envelope> logs = n.envelopes(n.logsTopic, total);
    assertThat(logs).hasSize(total);

    Map<String, String> env = new HashMap<>();
    n.sidecarConfig().forEach((k, v) -> env.put("TRIBUTARY_" + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), v));
    env.put("TRIBUTARY_ELASTICSEARCH_BULK_MAX_ACTIONS", "25"); // many small bulks: the kill lands between and inside them
    env.put("TRIBUTARY_KAFKA_SESSION_TIMEOUT_MS", "6000"); // the killed member leaves the group sooner
    Path log1 = Files.createTempFile("tributary-sidecar-", ".log");
    Path log2 = Files.createTempFile("tributary-sidecar-", ".log");
    Process first = startChildSidecar(env, log1);
    long atKill;
    try {
      await().atMost(INDEXED_WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> search.count(n.logsPattern()) >= 1500);
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no flush
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      atKill = search.count(n.logsPattern());
    } finally {
      first.destroyForcibly();
    }
    assertThat(atKill).as("the kill must land mid-stream for this test to mean anything").isLessThan(total);

    Process second = startChildSidecar(env, log2);
    try {
      await().atMost(INDEXED_WITHIN).until(() -> search.count(n.logsPattern()) == total);
      assertThat(search.ids(n.logsPattern()).keySet()).isEqualTo(logs.keySet());
    } finally {
      second.destroy();
      if (!second.waitFor(15, TimeUnit.SECONDS)) {
        second.destroyForcibly();
      }
      Files.deleteIfExists(log1);
      Files.deleteIfExists(log2);
    }
  }

  @Test
  void dataStreamModeWritesEachDocumentOnceEvenWhenReplayed(TestInfo info) throws Exception {
    Names n = new Names(info);
    String dataStream = "logs-" + n.service + "-default";
    try (Tributary client = n.client()) {
      for (int i = 0; i < 30; i++) {
        client.sendLog(LogLevel.INFO, "ds " + i);
      }
      client.flush(Duration.ofSeconds(30));
    }
    Map<String, Envelope> logs = n.envelopes(n.logsTopic, 30);
    try (ElasticsearchSidecar first = n.startSidecar(Map.of("elasticsearch.index.mode", "data_stream"))) {
      await().atMost(INDEXED_WITHIN).until(() -> search.count(dataStream) == 30);
    }
    // A second group replays the whole topic: create answers 409 for every document, which counts as done.
    try (ElasticsearchSidecar replay = n.startSidecar(Map.of("elasticsearch.index.mode", "data_stream",
        "group.id", n.p + "-replay"))) {
      await().atMost(INDEXED_WITHIN).until(() -> metric(replay, "tributary_elasticsearch_documents_indexed_total{kind=\"logs\"}") == 30);
      assertThat(search.count(dataStream)).isEqualTo(30);
      Map<String, String> ids = search.ids(dataStream);
      assertThat(ids.keySet()).isEqualTo(logs.keySet());
      assertThat(ids.values()).allMatch(backing -> backing.startsWith(".ds-" + dataStream));
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  static byte[] log(Source source, long seq, long timestamp, Map<String, Object> fields) {
    return EnvelopeCodec.create().encode(new LogEnvelope(timestamp, source, "logs", seq, "INFO", null, null,
        "dlq test " + seq, Map.of(), fields, List.of(), null, null, null, null, null));
  }

  KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", broker().bootstrapServers());
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    props.put("linger.ms", 0);
    return new KafkaProducer<>(props);
  }

  static ProducerRecord<byte[], byte[]> record(String topic, byte[] value) {
    return new ProducerRecord<>(topic, 0, null, value);
  }

  static String header(ConsumerRecord<String, String> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** One client for all: each HttpClient owns a selector thread until it is garbage-collected. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  /** The value of an unlabelled gauge, or of a full series name with labels. */
  static double metric(ElasticsearchSidecar sidecar, String series) throws IOException, InterruptedException {
    for (String line : get(sidecar.endpoint() + "/metrics").split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
      }
    }
    return 0;
  }

  static double gauge(ElasticsearchSidecar sidecar, String name) throws IOException, InterruptedException {
    return metric(sidecar, name);
  }

  private static Process startChildSidecar(Map<String, String> env, Path logFile) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classpath,
        Main.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TRIBUTARY_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  static String read(File f) throws IOException {
    return Files.readString(f.toPath());
  }
}
