package com.example.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.Correlation;
import dev.tributary.Tributary;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The payment processor: a Kafka consumer of the requests topic on its own thread. For each payment
 * it restores the request's correlation id from the record's headers (MDC and the SDK's
 * correlation scope, so its log lines and events carry it), "processes" it (a simulated provider
 * call), publishes a {@code payment.completed}, {@code payment.declined} or {@code payment.failed}
 * event and records the metrics.
 */
final class PaymentProcessor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PaymentProcessor.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  static final String COMPLETED = "completed";
  static final String DECLINED = "declined";
  static final String FAILED = "failed";

  private final KafkaConsumer<String, String> consumer;
  private final String topic;
  private final Tributary tributary;
  private final PaymentMetrics metrics;
  private final PaymentStats stats;
  private final ObjectMapper json;
  private final PaymentService.Simulation simulation;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;

  PaymentProcessor(String bootstrapServers, String topic, String groupId, Tributary tributary,
      PaymentMetrics metrics, PaymentStats stats, ObjectMapper json, PaymentService.Simulation simulation) {
    this.topic = topic;
    this.tributary = tributary;
    this.metrics = metrics;
    this.stats = stats;
    this.json = json;
    this.simulation = simulation;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "payment-processor");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    thread = new Thread(this::run, "payment-processor");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean isRunning() {
    return thread.isAlive() && running.get();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          if (!partitions.isEmpty()) {
            LOG.info("payment processor lost partitions {}", partitions);
          }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          metrics.rebalanced();
          LOG.info("payment processor assigned partitions {}", partitions);
        }
      });
      while (running.get()) {
        ConsumerRecords<String, String> records = consumer.poll(POLL_TIMEOUT);
        for (ConsumerRecord<String, String> record : records) {
          if (!running.get()) {
            break;
          }
          handle(record);
        }
        metrics.consumerLag(lag());
      }
    } catch (WakeupException e) {
      // close() woke the consumer up
    } catch (RuntimeException | Error e) {
      LOG.error("payment processor stopped: {}", e.toString(), e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("closing the payment consumer failed: {}", e.toString());
      }
      stopped.countDown();
    }
  }

  private long lag() {
    long total = 0;
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong lag = consumer.currentLag(tp);
      if (lag.isPresent()) {
        total += lag.getAsLong();
      }
    }
    return total;
  }

  private void handle(ConsumerRecord<String, String> record) {
    String correlationId = header(record, PaymentPublisher.CORRELATION_HEADER);
    try (Correlation.Scope scope = Correlation.open(correlationId)) {
      MDC.put("payment_id", record.key());
      long start = System.nanoTime();
      PaymentRequest payment;
      try {
        payment = parse(record.value());
      } catch (RuntimeException | java.io.IOException e) {
        LOG.error("unreadable payment record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
        stats.unreadable();
        return;
      }
      Outcome outcome = decide(payment);
      long processingNanos = System.nanoTime() - start;
      long endToEndMillis = System.currentTimeMillis() - payment.receivedAtMillis();
      metrics.processed(payment, outcome.status, processingNanos, endToEndMillis);
      stats.processed(outcome.status);

      Map<String, Object> attributes = new LinkedHashMap<>(payment.toMap());
      attributes.put("status", outcome.status);
      if (outcome.reason != null) {
        attributes.put("reason", outcome.reason);
      }
      attributes.put("processing_ms", processingNanos / 1_000_000.0);
      attributes.put("end_to_end_ms", endToEndMillis);
      tributary.sendEvent("payment", "payment." + outcome.status, payment.paymentId(), attributes);
      String card = payment.card() == null ? "none" : payment.card();
      switch (outcome.status) {
        case COMPLETED -> LOG.info("payment {} completed: {} {} merchant {} card {} in {} ms",
            payment.paymentId(), payment.amount().toPlainString(), payment.currency(), payment.merchantId(), card, endToEndMillis);
        case DECLINED -> LOG.warn("payment {} declined ({}): {} {} merchant {} card {}",
            payment.paymentId(), outcome.reason, payment.amount().toPlainString(), payment.currency(), payment.merchantId(), card);
        default -> LOG.error("payment {} failed ({}): {} {} merchant {} card {}",
            payment.paymentId(), outcome.reason, payment.amount().toPlainString(), payment.currency(), payment.merchantId(), card);
      }
    } finally {
      MDC.remove("payment_id");
    }
  }

  private record Outcome(String status, String reason) {}

  /** The simulated provider: declines large amounts, fails a share of the rest at random. */
  private Outcome decide(PaymentRequest payment) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long min = simulation.minLatency().toMillis();
    long max = Math.max(min, simulation.maxLatency().toMillis());
    long latency = min + (max > min ? random.nextLong(max - min + 1) : 0);
    if (latency > 0) {
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (payment.amount().compareTo(simulation.declineAbove()) > 0) {
      return new Outcome(DECLINED, "amount_over_limit");
    }
    if (random.nextDouble() < simulation.failureRatio()) {
      return new Outcome(FAILED, "provider_timeout");
    }
    return new Outcome(COMPLETED, null);
  }

  private PaymentRequest parse(String value) throws java.io.IOException {
    JsonNode n = json.readTree(value);
    return new PaymentRequest(n.path("payment_id").asText(), new BigDecimal(n.path("amount").asText()),
        n.path("currency").asText(), n.path("merchant_id").asText(),
        n.hasNonNull("card") ? n.get("card").asText() : null,
        n.hasNonNull("description") ? n.get("description").asText() : null,
        n.hasNonNull("batch_id") ? n.get("batch_id").asText() : null,
        n.path("received_at").asLong(System.currentTimeMillis()));
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (running.compareAndSet(true, false)) {
      consumer.wakeup();
    }
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        LOG.warn("the payment processor did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
