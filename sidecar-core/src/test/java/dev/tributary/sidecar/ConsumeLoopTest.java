package dev.tributary.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.wire.Envelope;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.EnvelopeException;
import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.Source;
import dev.tributary.wire.WireHeaders;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConsumeLoopTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  static final EnvelopeCodec CODEC = EnvelopeCodec.create();

  static byte[] metric(long seq) {
    return CODEC.encode(new MetricEnvelope(1_700_000_000_000L + seq, new Source("shop", "shop-1", null, null, "run-1"),
        "metrics", seq, "orders", MetricEnvelope.MetricKind.COUNTER, null, null, 1_700_000_000_000L, Map.of(),
        seq, null, null));
  }

  static void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  /** Decodes envelopes; dead-letters what does not decode; optionally blocks or throws first. */
  static final class DecodingHandler implements RecordHandler {
    final List<Envelope> decoded = new CopyOnWriteArrayList<>();
    final DeadLetterWriter dlq;
    final AtomicInteger failuresToThrow = new AtomicInteger();
    volatile CountDownLatch gate;

    DecodingHandler(DeadLetterWriter dlq) {
      this.dlq = dlq;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records, ConsumerControl control)
        throws Exception {
      if (records.isEmpty()) {
        return Map.of();
      }
      CountDownLatch g = gate;
      if (g != null) {
        g.await(30, TimeUnit.SECONDS);
      }
      if (failuresToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("simulated output failure");
      }
      for (ConsumerRecord<byte[], byte[]> r : records) {
        try {
          decoded.add(CODEC.decode(r.value()));
        } catch (EnvelopeException e) {
          dlq.write(r, e.reason().code(), e.getMessage());
        }
      }
      dlq.awaitPending(Duration.ofSeconds(5));
      return RecordHandler.processedThrough(records);
    }
  }

  static String scrape(SidecarMetrics metrics) {
    return ExpositionFormats.init().getPrometheusTextFormatWriter().toDebugString(metrics.registry().scrape());
  }

  @Test
  void poisonedRecordIsDeadLetteredWithExactHeadersAndTheLoopGoesOn() {
    String topic = "poison.events";
    KAFKA.broker().createTopic(topic, 1);
    ProducerRecord<byte[], byte[]> poison = new ProducerRecord<>(topic, "shop/shop-1".getBytes(StandardCharsets.UTF_8),
        "{not json".getBytes(StandardCharsets.UTF_8));
    poison.headers().add(WireHeaders.CORRELATION_ID, "c-42".getBytes(StandardCharsets.UTF_8));
    produce(topic, List.of(new ProducerRecord<>(topic, metric(1)), poison, new ProducerRecord<>(topic, metric(2))));

    SidecarMetrics metrics = SidecarMetrics.create();
    try (DeadLetterWriter dlq = DeadLetterWriter.create(KAFKA.broker().bootstrapServers(), Map.of(), metrics)) {
      DecodingHandler handler = new DecodingHandler(dlq);
      try (ConsumeLoop loop = ConsumeLoop.builder().bootstrapServers(KAFKA.broker().bootstrapServers())
          .groupId("poison-test").topics(List.of(topic)).handler(handler).metrics(metrics).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.decoded.size() == 2);
        assertThat(loop.isAlive()).isTrue();

        List<ConsumerRecord<String, String>> dead = KAFKA.broker().reader().records(topic + ".dlq", 1, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        ConsumerRecord<String, String> d = dead.get(0);
        assertThat(d.key()).isEqualTo("shop/shop-1");
        assertThat(d.value()).isEqualTo("{not json");
        assertThat(headers(d)).containsExactly(
            Map.entry(WireHeaders.CORRELATION_ID, "c-42"),
            Map.entry(WireHeaders.DLQ_REASON, "malformed_json"),
            Map.entry(WireHeaders.DLQ_ERROR, "invalid JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name"),
            Map.entry(WireHeaders.DLQ_ORIGIN, "poison.events-0@1"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(metrics))
            .contains("tributary_sidecar_records_dead_lettered_total{reason=\"malformed_json\",topic=\"poison.events\"} 1.0")
            .contains("tributary_sidecar_records_consumed_total{topic=\"poison.events\"} 3.0"));
      }
    }
  }

  static List<Map.Entry<String, String>> headers(ConsumerRecord<?, ?> record) {
    List<Map.Entry<String, String>> list = new java.util.ArrayList<>();
    for (Header h : record.headers()) {
      list.add(Map.entry(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
    }
    return list;
  }

  @Test
  void batchThatThrowsIsRetriedFromTheSameOffsetsAndTheThreadSurvives() {
    String topic = "retry.events";
    KAFKA.broker().createTopic(topic, 1);
    produce(topic, List.of(new ProducerRecord<>(topic, metric(1)), new ProducerRecord<>(topic, metric(2))));
    SidecarMetrics metrics = SidecarMetrics.create();
    try (DeadLetterWriter dlq = DeadLetterWriter.create(KAFKA.broker().bootstrapServers(), Map.of(), metrics)) {
      DecodingHandler handler = new DecodingHandler(dlq);
      handler.failuresToThrow.set(2);
      try (ConsumeLoop loop = ConsumeLoop.builder().bootstrapServers(KAFKA.broker().bootstrapServers())
          .groupId("retry-test").topics(List.of(topic)).handler(handler).metrics(metrics).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.decoded.size() >= 2);
        assertThat(handler.decoded).extracting(Envelope::seq).containsExactly(1L, 2L);
        assertThat(loop.isAlive()).isTrue();
        assertThat(scrape(metrics)).contains("tributary_sidecar_batch_errors_total 2.0");
      }
    }
  }

  /** Decodes envelopes and throws on every batch holding one with {@code seq == poisonSeq}. */
  static final class FailingOnSeqHandler implements RecordHandler {
    final List<Long> handled = new CopyOnWriteArrayList<>();
    final long poisonSeq;

    FailingOnSeqHandler(long poisonSeq) {
      this.poisonSeq = poisonSeq;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records, ConsumerControl control)
        throws Exception {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (CODEC.decode(r.value()).seq() == poisonSeq) {
          throw new IllegalStateException("cannot index seq " + poisonSeq);
        }
      }
      for (ConsumerRecord<byte[], byte[]> r : records) {
        handled.add(CODEC.decode(r.value()).seq());
      }
      return RecordHandler.processedThrough(records);
    }
  }

  @Test
  void aBatchThatKeepsFailingIsDeadLetteredWithTheReasonCountedAndTheLoopMovesOn() throws Exception {
    String topic = "stuck.events";
    KAFKA.broker().createTopic(topic, 1);
    produce(topic, List.of(new ProducerRecord<>(topic, metric(1)), new ProducerRecord<>(topic, metric(2)),
        new ProducerRecord<>(topic, metric(3))));
    SidecarMetrics metrics = SidecarMetrics.create();
    FailingOnSeqHandler handler = new FailingOnSeqHandler(2);
    try (ConsumeLoop loop = ConsumeLoop.builder().bootstrapServers(KAFKA.broker().bootstrapServers())
        .groupId("stuck-test").topics(List.of(topic)).handler(handler).metrics(metrics).maxBatchAttempts(3)
        .kafkaProperties(Map.of("max.poll.records", 1)).build().start()) { // a batch is one record
      await().atMost(Duration.ofSeconds(30)).until(() -> handler.handled.size() == 2);
      assertThat(handler.handled).containsExactly(1L, 3L);
      assertThat(loop.isAlive()).isTrue();

      List<ConsumerRecord<String, String>> dead = KAFKA.broker().reader().records(topic + ".dlq", 1, Duration.ofSeconds(30));
      assertThat(dead).hasSize(1);
      assertThat(headers(dead.get(0))).containsExactly(
          Map.entry(WireHeaders.DLQ_REASON, "handler_failed"),
          Map.entry(WireHeaders.DLQ_ERROR,
              "processing the batch failed 3 times, last with java.lang.IllegalStateException: cannot index seq 2"),
          Map.entry(WireHeaders.DLQ_ORIGIN, "stuck.events-0@1"));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(metrics))
          .contains("tributary_sidecar_batch_errors_total 3.0")
          .contains("tributary_sidecar_records_failed_total{reason=\"handler_failed\",topic=\"stuck.events\"} 1.0")
          .contains("tributary_sidecar_records_dead_lettered_total{reason=\"handler_failed\",topic=\"stuck.events\"} 1.0"));
    }
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers()))) {
      assertThat(admin.listConsumerGroupOffsets("stuck-test").partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS))
          .containsEntry(new TopicPartition(topic, 0), new OffsetAndMetadata(3));
    }
  }

  @Test
  void aBatchIsNotSkippedWhileItsDeadLetterWritesFail() {
    String topic = "stuck-dlq-down.events";
    KAFKA.broker().createTopic(topic, 1);
    produce(topic, List.of(new ProducerRecord<>(topic, metric(1)), new ProducerRecord<>(topic, metric(2)),
        new ProducerRecord<>(topic, metric(3))));
    SidecarMetrics metrics = SidecarMetrics.create();
    java.util.concurrent.atomic.AtomicBoolean dlqDown = new java.util.concurrent.atomic.AtomicBoolean(true);
    org.apache.kafka.clients.producer.MockProducer<byte[], byte[]> producer =
        new org.apache.kafka.clients.producer.MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
              ProducerRecord<byte[], byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
            if (dlqDown.get()) {
              throw new org.apache.kafka.common.errors.TimeoutException("dead-letter topic unavailable");
            }
            return super.send(record, callback);
          }
        };
    FailingOnSeqHandler handler = new FailingOnSeqHandler(2);
    try (DeadLetterWriter dlq = DeadLetterWriter.create(producer, metrics);
         ConsumeLoop loop = ConsumeLoop.builder().bootstrapServers(KAFKA.broker().bootstrapServers())
             .groupId("stuck-dlq-down-test").topics(List.of(topic)).handler(handler).metrics(metrics)
             .maxBatchAttempts(2).deadLetters(dlq).kafkaProperties(Map.of("max.poll.records", 1)).build().start()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> scrape(metrics).contains("tributary_sidecar_batch_errors_total 4.0"));
      assertThat(handler.handled).as("nothing after the failing record").containsExactly(1L);
      assertThat(scrape(metrics)).contains("tributary_sidecar_dead_letter_errors_total{topic=\"stuck-dlq-down.events\"}")
          .doesNotContain("handler_failed");

      dlqDown.set(false);
      await().atMost(Duration.ofSeconds(30)).until(() -> handler.handled.size() == 2);
      assertThat(handler.handled).containsExactly(1L, 3L);
      assertThat(producer.history()).hasSize(1);
      assertThat(new String(producer.history().get(0).headers().lastHeader(WireHeaders.DLQ_ORIGIN).value(),
          StandardCharsets.UTF_8)).isEqualTo("stuck-dlq-down.events-0@1");
    }
  }

  @Test
  void healthIsUpWhileTheLoopRunsAndReadyOnceCaughtUp() throws Exception {
    String topic = "ready.events";
    KAFKA.broker().createTopic(topic, 3);
    List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      records.add(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8), metric(i)));
    }
    produce(topic, records);
    SidecarMetrics metrics = SidecarMetrics.create();
    HttpClient client = HttpClient.newHttpClient();
    try (DeadLetterWriter dlq = DeadLetterWriter.create(KAFKA.broker().bootstrapServers(), Map.of(), metrics)) {
      DecodingHandler handler = new DecodingHandler(dlq);
      CountDownLatch gate = new CountDownLatch(1);
      handler.gate = gate;
      ConsumeLoop loop = ConsumeLoop.builder().bootstrapServers(KAFKA.broker().bootstrapServers())
          .groupId("ready-test").topics(List.of(topic)).handler(handler).metrics(metrics).build();
      try (HttpEndpoints http = HttpEndpoints.builder().metrics(metrics.registry()::scrape)
          .liveness(loop::isAlive).readiness(loop::isReady).start()) {
        assertThat(status(client, http, "/health")).isEqualTo(503); // not started
        loop.start();
        assertThat(status(client, http, "/health")).isEqualTo(200);
        assertThat(status(client, http, "/ready")).isEqualTo(503); // first batch held at the gate
        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(client, http, "/ready") == 200);
        assertThat(handler.decoded).hasSize(300);
        loop.close();
        assertThat(status(client, http, "/health")).isEqualTo(503);
        assertThat(status(client, http, "/ready")).isEqualTo(503);
      } finally {
        loop.close();
      }
    }
  }

  static int status(HttpClient client, HttpEndpoints http, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
