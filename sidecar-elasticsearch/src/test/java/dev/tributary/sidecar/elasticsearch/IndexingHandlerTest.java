package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
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
            Duration.ofSeconds(1), 20, 500),
        naming, transport, new Templates(naming, 200, -1, 2000), deadLetters,
        new ElasticsearchMetrics(new PrometheusRegistry()), clock::get);
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
