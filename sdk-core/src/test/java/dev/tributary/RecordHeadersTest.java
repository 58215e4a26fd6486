package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka headers of log records through a real broker. Records without a correlation or trace
 * header share one read-only set of the fixed headers; a record with one, or any record when the
 * producers run interceptors (which may add headers in place), gets its own.
 */
class RecordHeadersTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> FIXED = List.of(WireHeaders.CONTENT_TYPE, WireHeaders.SCHEMA, WireHeaders.TYPE);

  @Test
  void recordsWithoutContextCarryExactlyTheFixedHeadersAroundOneWithACorrelationId() {
    String topic = "headers.plain";
    try (Tributary client = client(topic).build()) {
      client.sendLog(LogLevel.INFO, "first");
      try (Correlation.Scope scope = Correlation.open("c-1")) {
        client.sendLog(LogLevel.INFO, "correlated");
      }
      client.sendLog(LogLevel.INFO, "third");
      client.sendLog(LogLevel.INFO, "fourth");
      assertThat(client.flush(WAIT).isComplete()).isTrue();
    }
    List<ConsumerRecord<String, String>> records = KAFKA.broker().reader().records(topic, 4, WAIT);
    assertThat(records).extracting(RecordHeadersTest::keys).containsExactly(
        FIXED,
        List.of(WireHeaders.CONTENT_TYPE, WireHeaders.SCHEMA, WireHeaders.TYPE, WireHeaders.CORRELATION_ID),
        FIXED,
        FIXED);
    assertThat(value(records.get(1), WireHeaders.CORRELATION_ID)).isEqualTo("c-1");
    for (ConsumerRecord<String, String> r : records) {
      assertThat(value(r, WireHeaders.CONTENT_TYPE)).isEqualTo(WireHeaders.CONTENT_TYPE_V1);
      assertThat(value(r, WireHeaders.TYPE)).isEqualTo("log");
    }
  }

  @Test
  void aProducerInterceptorAddsItsHeaderToEveryRecordOnce() {
    String topic = "headers.intercepted";
    try (Tributary client = client(topic)
        .producerProperty(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, HeaderAddingInterceptor.class.getName())
        .build()) {
      client.sendLog(LogLevel.INFO, "first");
      client.sendLog(LogLevel.INFO, "second");
      client.sendLog(LogLevel.INFO, "third");
      assertThat(client.flush(WAIT).isComplete()).isTrue();
      assertThat(client.stats().stream(StreamKind.LOGS).failed()).isZero();
    }
    List<String> expected = new ArrayList<>(FIXED);
    expected.add(HeaderAddingInterceptor.KEY);
    assertThat(KAFKA.broker().reader().records(topic, 3, WAIT)).extracting(RecordHeadersTest::keys)
        .containsExactly(expected, expected, expected);
  }

  private static TributaryBuilder client(String topic) {
    return Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("headers")
        .instanceId("headers-1")
        .logsTopic(topic);
  }

  private static List<String> keys(ConsumerRecord<String, String> record) {
    List<String> keys = new ArrayList<>();
    for (Header h : record.headers()) {
      keys.add(h.key());
    }
    return keys;
  }

  private static String value(ConsumerRecord<String, String> record, String key) {
    Header h = record.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Adds a header to each record in place, as tracing interceptors do. */
  public static final class HeaderAddingInterceptor implements ProducerInterceptor<String, byte[]> {
    static final String KEY = "x-intercepted";

    @Override
    public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
      record.headers().add(KEY, new byte[] {1});
      return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
  }
}
