package dev.tributary.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.MetricEnvelope.MetricKind;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Micrometer's stock binders through the registry: the JVM memory binder and the Kafka client
 * binder (bound to a real producer and consumer of the test broker) arrive with valid Prometheus
 * names and label names, and nothing is rejected by the client.
 */
class BindersThroughTributaryTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  @Test
  void jvmMemoryAndKafkaClientMetricsArriveWithValidNames() throws Exception {
    String topic = "metrics.binders";
    Tributary client = Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("checkout")
        .instanceId("checkout-1")
        .metricsTopic(topic)
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofHours(1))
        .build();
    TributaryMeterRegistry registry = TributaryMeterRegistry.builder(TributaryConfig.sharing(client)).build();
    new JvmMemoryMetrics().bindTo(registry);

    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties());
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer)) {
      producerMetrics.bindTo(registry);
      consumerMetrics.bindTo(registry);
      producer.send(new ProducerRecord<>("binders.input", "key", "value")).get();
      TopicPartition partition = new TopicPartition("binders.input", 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      int read = 0;
      for (int polls = 0; read == 0 && polls < 100; polls++) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        read += records.count();
      }
      assertThat(read).as("records read back").isEqualTo(1);

      registry.close(); // while the Kafka clients whose metrics it reads are still open
    }
    client.close();

    Published published = Published.drain(KAFKA.broker(), topic);
    assertThat(client.stats().stream(StreamKind.METRICS).rejected()).as("samples rejected by the client").isZero();
    assertThat(published.all()).isNotEmpty().allSatisfy(e -> {
      assertThat(e.name()).matches(METRIC_NAME);
      assertThat(e.labels().keySet()).allSatisfy(label -> assertThat(label).matches(LABEL_NAME));
    });
    assertThat(published.bySeries().values()).as("one final envelope per series").allSatisfy(
        series -> assertThat(series).hasSize(1));

    MetricEnvelope heapUsed = published.all().stream()
        .filter(e -> e.name().equals("jvm_memory_used_bytes") && "heap".equals(e.labels().get("area")))
        .findFirst().orElseThrow();
    assertThat(heapUsed.kind()).isEqualTo(MetricKind.GAUGE);
    assertThat(heapUsed.unit()).isEqualTo("bytes");
    assertThat(heapUsed.labels()).containsKeys("area", "id");
    assertThat(heapUsed.value()).isPositive();
    assertThat(names(published)).contains("jvm_memory_committed_bytes", "jvm_memory_max_bytes",
        "jvm_buffer_memory_used_bytes");

    MetricEnvelope sent = only(published, "kafka_producer_record_send_total", Map.of("client_id", "binders-producer"));
    assertThat(sent.kind()).isEqualTo(MetricKind.COUNTER);
    assertThat(sent.value()).isEqualTo(1);
    assertThat(sent.labels()).containsKey("kafka_version");
    MetricEnvelope consumed = only(published, "kafka_consumer_fetch_manager_records_consumed_total",
        Map.of("client_id", "binders-consumer"));
    assertThat(consumed.kind()).isEqualTo(MetricKind.COUNTER);
    assertThat(consumed.value()).isEqualTo(1);
  }

  private static List<String> names(Published published) {
    return published.all().stream().map(MetricEnvelope::name).distinct().toList();
  }

  /** The one envelope with {@code name} whose labels include {@code labels}. */
  private static MetricEnvelope only(Published published, String name, Map<String, String> labels) {
    List<MetricEnvelope> matching = published.all().stream()
        .filter(e -> e.name().equals(name) && e.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
    assertThat(matching).as("%s%s among %s", name, labels, names(published)).hasSize(1);
    return matching.get(0);
  }

  private static Properties producerProperties() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "binders-producer");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return p;
  }

  private static Properties consumerProperties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "binders-consumer");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return p;
  }
}
