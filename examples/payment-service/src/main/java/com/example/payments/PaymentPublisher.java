package com.example.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Hands accepted payments to the processor through the requests topic, with the correlation id and
 * the receipt time in Kafka headers. Every call is bounded by {@code timeout}: the producer blocks
 * for metadata at most that long ({@code max.block.ms}) and the caller waits for acknowledgements
 * until the same deadline, so a missing broker turns into {@link PublishException} (503) within
 * about the timeout, never into a hanging request.
 */
final class PaymentPublisher implements AutoCloseable {
  static final String CORRELATION_HEADER = "correlation-id";
  static final String RECEIVED_AT_HEADER = "received-at";

  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final Duration timeout;
  private final ObjectMapper json;

  PaymentPublisher(String bootstrapServers, String topic, Duration timeout, ObjectMapper json) {
    this.topic = topic;
    this.timeout = timeout;
    this.json = json;
    int timeoutMs = (int) timeout.toMillis();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "payment-api");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(timeoutMs));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
    // must be >= linger + request timeout; a record not acknowledged by then fails
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs + 10));
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /**
   * Fetches the topic's metadata (waiting at most the timeout), so that the first requests do not
   * pay for the connection and metadata round trips; {@code false} if Kafka did not answer in time,
   * which only means the first requests may get 503.
   */
  boolean warmUp() {
    try {
      return !producer.partitionsFor(topic).isEmpty();
    } catch (org.apache.kafka.common.KafkaException e) {
      return false;
    }
  }

  /** Thrown when Kafka did not acknowledge the payments in time; the API answers 503. */
  static final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Publishes the payments (keyed by payment id) and waits until Kafka acknowledged all of them, at
   * most until the timeout since the call started.
   */
  void publish(List<PaymentRequest> payments, String correlationId) throws PublishException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Future<RecordMetadata>> acks = new ArrayList<>(payments.size());
    try {
      for (PaymentRequest p : payments) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, p.paymentId(), json.writeValueAsString(p.toMap()));
        record.headers().add(CORRELATION_HEADER, correlationId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(RECEIVED_AT_HEADER, Long.toString(p.receivedAtMillis()).getBytes(StandardCharsets.UTF_8));
        acks.add(producer.send(record));
      }
      for (Future<RecordMetadata> ack : acks) {
        long left = deadline - System.nanoTime();
        ack.get(Math.max(0, left), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      throw new PublishException("Kafka did not acknowledge the payments within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw new PublishException("Kafka refused the payments: " + e.getCause(), e.getCause());
    } catch (org.apache.kafka.common.KafkaException | JsonProcessingException e) {
      // send() itself fails when metadata is not available within max.block.ms
      throw new PublishException("cannot publish the payments: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while publishing", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(2));
  }
}
