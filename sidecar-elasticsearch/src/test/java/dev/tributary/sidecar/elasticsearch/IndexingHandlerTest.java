package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.accounting.SequenceTracker;
import dev.tributary.sidecar.ConsumerControl;
import dev.tributary.sidecar.DeadLetterWriter;
import dev.tributary.sidecar.SidecarMetrics;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.LogEnvelope;
import dev.tributary.wire.Source;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler's retry and back-pressure logic against a scripted HTTP server (real servers rarely
 * answer 429 on demand), with an injected clock instead of waiting out back-offs.
 */
class IndexingHandlerTest {
  private static final TopicPartition TP = new TopicPartition("logs.events", 0);

  private HttpServer server;
  private final ArrayDeque<String[]> answers = new ArrayDeque<>(); // {status, body}
  private final List<String> bulks = new CopyOnWriteArrayList<>();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private SearchTransport transport;
  private DeadLetterWriter deadLetters;
  private IndexingHandler handler;
  private final FakeControl control = new FakeControl();
  private final List<String> accessProblems = new CopyOnWriteArrayList<>();
  private final List<String> sequenceEvents = new CopyOnWriteArrayList<>(); // "gaps checkout logs 3"
  private final SequenceTracker.Listener sequenceListener = new SequenceTracker.Listener() {
    @Override
    public void gaps(String service, String stream, long missing) {
      sequenceEvents.add("gaps " + service + " " + stream + " " + missing);
    }

    @Override
    public void duplicates(String service, String stream, long count) {
      sequenceEvents.add("duplicates " + service + " " + stream + " " + count);
    }
  };

  @BeforeEach
  void setUp() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      String status = "200";
      String answer = "{\"acknowledged\":true}";
      if (ex.getRequestURI().getPath().equals("/_bulk")) {
        bulks.add(new String(body, StandardCharsets.UTF_8));
        String[] next = answers.poll();
        status = next[0];
        answer = next[1];
      }
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(Integer.parseInt(status), out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    });
    server.start();
    transport = new SearchTransport(List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())), null, null,
        Duration.ofSeconds(2), Duration.ofSeconds(5));
    deadLetters = DeadLetterWriter.create("127.0.0.1:1", Map.of(), SidecarMetrics.create()); // never used here
    IndexNaming naming = new IndexNaming("logs-", "events-", "yyyy.MM.dd", false, "default");
    handler = new IndexingHandler(
        new IndexingHandler.Options(100, 1 << 20, Duration.ofSeconds(1), 1000, 1 << 24, Duration.ofMillis(100),
            Duration.ofSeconds(1), 20, 500, "logs.events"),
        naming, transport, new Templates(naming, 200, -1, 2000), deadLetters,
        new ElasticsearchMetrics(new PrometheusRegistry()), sequenceListener, accessProblems::add, clock::get);
    control.assigned.add(TP);
  }

  @AfterEach
  void tearDown() {
    handler.close();
    server.stop(0);
    transport.close();
    deadLetters.close();
  }

  @Test
  void tooManyRequestsIsRetriedPerItemAndTheCommitWaitsForIt() throws Exception {
    answers.add(new String[] {"200", "{\"errors\":true,\"items\":[{\"index\":{\"status\":201}},"
        + "{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"}}},"
        + "{\"index\":{\"status\":201}}]}"});
    answers.add(new String[] {"200", "{\"errors\":false,\"items\":[{\"index\":{\"status\":201}}]}"});

    Map<TopicPartition, OffsetAndMetadata> first = handler.handle(records(0, 3), control);
    assertThat(first).containsEntry(TP, new OffsetAndMetadata(1));
    assertThat(bulks).hasSize(1);

    Map<TopicPartition, OffsetAndMetadata> early = handler.handle(records(3, 0), control);
    assertThat(bulks).as("the retry waits for its back-off").hasSize(1);
    assertThat(early).isEmpty();

    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    Map<TopicPartition, OffsetAndMetadata> second = handler.handle(records(3, 0), control);
    assertThat(bulks).hasSize(2);
    assertThat(bulks.get(1)).contains("\"_id\":\"i-1:run:logs:2\"").doesNotContain(":logs:1\"").doesNotContain(":logs:3\"");
    assertThat(second).containsEntry(TP, new OffsetAndMetadata(3));
  }

  @Test
  void anUnavailableServerPausesThePartitionsUntilItAnswersAgain() throws Exception {
    answers.add(new String[] {"503", "{\"error\":\"unavailable\"}"});
    answers.add(new String[] {"200", "{\"errors\":false,\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":201}}]}"});

    Map<TopicPartition, OffsetAndMetadata> first = handler.handle(records(0, 2), control);
    assertThat(first.get(TP).offset()).as("nothing acknowledged yet").isZero();
    assertThat(control.paused).containsExactly(TP);
    assertThat(handler.isReady()).isFalse();

    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    Map<TopicPartition, OffsetAndMetadata> second = handler.handle(records(2, 0), control);
    assertThat(bulks).hasSize(2);
    assertThat(second).containsEntry(TP, new OffsetAndMetadata(2));
    assertThat(control.paused).isEmpty();
    assertThat(handler.isReady()).isTrue();
  }

  @Test
  void recordsRedeliveredAfterARewindAreNotIndexedTwice() throws Exception {
    answers.add(new String[] {"200", "{\"errors\":false,\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":201}}]}"});
    handler.handle(records(0, 2), control);
    Map<TopicPartition, OffsetAndMetadata> again = handler.handle(records(0, 2), control);
    assertThat(bulks).hasSize(1);
    assertThat(again).isEmpty();
  }

  @Test
  void aJsonObjectFromAnotherProducerIsIndexedUnderTopicPartitionOffset() throws Exception {
    answers.add(new String[] {"200", "{\"errors\":false,\"items\":[{\"index\":{\"status\":201}},"
        + "{\"index\":{\"status\":201}},{\"index\":{\"status\":201}}]}"});
    TopicPartition events = new TopicPartition("payment.events", 1);
    control.assigned.add(events);
    List<ConsumerRecord<byte[], byte[]>> logs = List.of(
        raw(TP, 7, "{\"@timestamp\":\"2026-03-01T10:00:00Z\",\"service\":{\"name\":\"Legacy-Billing\"},\"message\":\"hi\"}"),
        raw(TP, 8, "{\"message\":\"no service, no time\"}"));
    List<ConsumerRecord<byte[], byte[]>> payments = List.of(
        raw(events, 3, "{\"@timestamp\":\"2026-03-02T23:59:59.999+00:00\",\"order\":\"o-1\"}"));

    Map<TopicPartition, OffsetAndMetadata> commit = handler.handle(
        new ConsumerRecords<>(Map.of(TP, logs, events, payments), Map.of()), control);

    assertThat(bulks).hasSize(1);
    String bulk = bulks.get(0);
    assertThat(bulk).contains("{\"index\":{\"_index\":\"logs-legacy-billing-2026.03.01\",\"_id\":\"logs.events-0-7\"}}");
    assertThat(bulk).contains("\"_index\":\"logs-unknown-2026.01.15\",\"_id\":\"logs.events-0-8\"");
    assertThat(bulk).contains("{\"index\":{\"_index\":\"events-payment-2026.03.02\",\"_id\":\"payment.events-1-3\"}}");
    assertThat(bulk).contains("{\"message\":\"no service, no time\"}");
    assertThat(commit).containsEntry(TP, new OffsetAndMetadata(9)).containsEntry(events, new OffsetAndMetadata(4));
  }

  @Test
  void sequenceGapsAndDuplicatesAreCountedPerService() throws Exception {
    long[] seqs = {1, 2, 2, 3, 1030};
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
    for (int i = 0; i < seqs.length; i++) {
      list.add(log(i, seqs[i]));
    }
    answers.add(new String[] {"200", "{\"errors\":false}"});

    handler.handle(new ConsumerRecords<>(Map.of(TP, list), Map.of()), control);

    // 2 arrived twice; 4, 5 and 6 are missing once 1030 shows them a window (1024) behind.
    assertThat(sequenceEvents).containsExactly("duplicates checkout logs 1", "gaps checkout logs 3");
  }

  @Test
  void aNewOwnerOfAPartitionCountsNoFalseGapsOrDuplicates() throws Exception {
    answers.add(new String[] {"200", "{\"errors\":false}"});
    answers.add(new String[] {"200", "{\"errors\":false}"});
    handler.handle(new ConsumerRecords<>(Map.of(TP, List.of(log(0, 1), log(1, 2))), Map.of()), control);
    handler.onPartitionsRevoked(List.of(TP));
    // Taken back later, mid-stream: 2 is re-read (not committed elsewhere), then 500 onwards.
    handler.handle(new ConsumerRecords<>(Map.of(TP, List.of(log(1, 2), log(2, 500))), Map.of()), control);
    assertThat(sequenceEvents).isEmpty();
  }

  @Test
  void rejectedCredentialsStopTheHandlerWithOneMessageInsteadOfRetrying() throws Exception {
    answers.add(new String[] {"401", "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate user "
        + "[sidecar] for REST request [/_bulk]\"},\"status\":401}"});

    Map<TopicPartition, OffsetAndMetadata> first = handler.handle(records(0, 2), control);
    assertThat(accessProblems).containsExactly("Elasticsearch rejected the credentials (HTTP 401 to POST /_bulk: "
        + "security_exception: unable to authenticate user [sidecar] for REST request [/_bulk]): check "
        + "TRIBUTARY_ELASTICSEARCH_USERNAME and TRIBUTARY_ELASTICSEARCH_PASSWORD, or TRIBUTARY_ELASTICSEARCH_API_KEY");
    assertThat(first.get(TP).offset()).as("nothing acknowledged").isZero();

    for (int i = 0; i < 5; i++) {
      clock.addAndGet(Duration.ofMinutes(1).toNanos());
      assertThat(handler.handle(records(2, 1), control)).isEmpty();
    }
    assertThat(bulks).as("no retries").hasSize(1);
    assertThat(accessProblems).hasSize(1);
    assertThat(control.paused).containsExactly(TP);
    assertThat(handler.isReady()).isFalse();
    assertThat(handler.drain(Duration.ZERO)).as("a shutdown does not wait for what cannot be indexed").isTrue();
  }

  private static ConsumerRecord<byte[], byte[]> raw(TopicPartition tp, long offset, String value) {
    return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, 1_768_435_200_000L /* 2026-01-15 */,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, null, value.getBytes(StandardCharsets.UTF_8),
        new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
  }

  private static ConsumerRecord<byte[], byte[]> log(long offset, long seq) {
    Source source = new Source("checkout", "i-1", null, null, "run");
    byte[] value = EnvelopeCodec.create().encode(new LogEnvelope(1_790_000_000_000L, source, "logs", seq,
        "INFO", null, null, "m" + offset, Map.of(), Map.of(), List.of(), null, null, null, null, null));
    return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, null, value);
  }

  private static ConsumerRecords<byte[], byte[]> records(int fromOffset, int count) {
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
    Source source = new Source("checkout", "i-1", null, null, "run");
    for (int i = 0; i < count; i++) {
      long offset = fromOffset + i;
      byte[] value = EnvelopeCodec.create().encode(new LogEnvelope(1_790_000_000_000L, source, "logs", offset + 1,
          "INFO", null, null, "m" + offset, Map.of(), Map.of(), List.of(), null, null, null, null, null));
      list.add(new ConsumerRecord<>(TP.topic(), TP.partition(), offset, null, value));
    }
    return count == 0 ? ConsumerRecords.empty() : new ConsumerRecords<>(Map.of(TP, list), Map.of());
  }

  private static final class FakeControl implements ConsumerControl {
    final Set<TopicPartition> assigned = new HashSet<>();
    final Set<TopicPartition> paused = new HashSet<>();

    @Override
    public void pause(Collection<TopicPartition> partitions) {
      paused.addAll(partitions);
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
      paused.removeAll(Set.copyOf(partitions));
    }

    @Override
    public Set<TopicPartition> paused() {
      return Set.copyOf(paused);
    }

    @Override
    public void rewindTo(Collection<TopicPartition> partitions, long timestampMillis) {
      throw new UnsupportedOperationException("the Elasticsearch sidecar never rewinds");
    }

    @Override
    public Set<TopicPartition> assignment() {
      return Set.copyOf(assigned);
    }
  }
}
