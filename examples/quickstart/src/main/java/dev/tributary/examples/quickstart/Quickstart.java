package dev.tributary.examples.quickstart;

import dev.tributary.Correlation;
import dev.tributary.Counter;
import dev.tributary.DeliveryReport;
import dev.tributary.HealthCheck;
import dev.tributary.Histogram;
import dev.tributary.LogLevel;
import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.topics.TopicProvisioner;
import dev.tributary.topics.TopicSpec;
import dev.tributary.topics.TopicsFile;
import dev.tributary.wire.Envelope;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.EventEnvelope;
import dev.tributary.wire.HealthEnvelope;
import dev.tributary.wire.LogEnvelope;
import dev.tributary.wire.MetricEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The smallest real Tributary job: a Kafka broker on 127.0.0.1, a service publishing through the
 * SDK for a few seconds, and a consumer printing what arrived on each topic.
 *
 * <p>Run it with {@code bin/demo} from the repository root.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    int payments = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    try (KafkaBroker broker = KafkaBroker.start()) {
      System.out.println("Kafka broker on " + broker.bootstrapServers());
      List<TopicSpec> topics = new ArrayList<>(TopicsFile.defaults().topics());
      topics.add(TopicSpec.builder("payment.events").partitions(2).retention(Duration.ofDays(30)).build());
      try (TopicProvisioner provisioner = TopicProvisioner.create(broker.admin())) {
        System.out.println(provisioner.apply(TopicsFile.of(topics)).render());
      }
      Tributary tributary = Tributary.builder()
          .bootstrapServers(broker.bootstrapServers())
          .serviceName("quickstart")
          .instanceId("quickstart-1")
          .serviceVersion("0.1.0")
          .metricsStep(Duration.ofSeconds(2))
          .healthInterval(Duration.ofSeconds(2))
          .healthCheck("self", HealthCheck.Result::up)
          .build();

      Counter processed = tributary.counter("payments_processed_total").help("Payments processed")
          .labelNames("status").build();
      Histogram latency = tributary.histogram("payment_processing_seconds").help("Processing time")
          .unit("seconds").buckets(0.005, 0.01, 0.05, 0.1).build();
      for (int i = 1; i <= payments; i++) {
        try (Correlation.Scope scope = Correlation.openNew()) {
          String status = i % 7 == 0 ? "failed" : "completed";
          double seconds = ThreadLocalRandom.current().nextDouble(0.001, 0.08);
          processed.labels(status).increment();
          latency.observe(seconds);
          tributary.sendEvent("payment", "payment." + status, "pay-" + i, Map.of("amount", 10.0 * i, "currency", "EUR"));
          tributary.sendLog(status.equals("failed") ? LogLevel.WARN : LogLevel.INFO,
              "payment pay-" + i + " " + status, Map.of("amount", 10.0 * i));
        }
        Thread.sleep(100);
      }
      DeliveryReport report = tributary.shutdown(Duration.ofSeconds(10));
      System.out.println("Client closed: " + report + "; " + tributary.stats().stream(StreamKind.LOGS));

      EnvelopeCodec codec = EnvelopeCodec.create();
      for (String topic : List.of("metrics.events", "logs.events", "payment.events", "health.events")) {
        List<ConsumerRecord<String, String>> records = broker.reader().drain(topic, Duration.ofSeconds(1));
        System.out.printf("%n== %s: %d records%n", topic, records.size());
        int shown = 0;
        for (ConsumerRecord<String, String> record : records) {
          if (shown++ == 5) {
            System.out.println("   ...");
            break;
          }
          Envelope e = codec.decode(record.value().getBytes(StandardCharsets.UTF_8));
          System.out.println("   key=" + record.key() + "  " + describe(e));
        }
      }
    }
  }

  private static String describe(Envelope e) {
    if (e instanceof MetricEnvelope m) {
      return m.kind().wireName() + " " + m.name() + m.labels() + " = "
          + (m.histogram() != null ? "count " + m.histogram().count() + ", sum " + m.histogram().sum() : m.value());
    }
    if (e instanceof LogEnvelope l) {
      return l.level() + " " + l.message() + " (correlation " + l.correlationId() + ")";
    }
    if (e instanceof EventEnvelope ev) {
      return ev.name() + " " + ev.entityId() + " " + ev.attributes();
    }
    HealthEnvelope h = (HealthEnvelope) e;
    return h.status() + " uptime " + h.uptimeMillis() + " ms, checks " + h.checks().keySet();
  }
}
