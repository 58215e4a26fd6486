package dev.tributary.sidecar;

import dev.tributary.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records a sidecar could not process to {@code <topic>.dlq}: the original key, value and
 * headers, plus {@link WireHeaders#DLQ_REASON} (a short code such as {@code malformed_json}),
 * {@link WireHeaders#DLQ_ERROR} (the message) and {@link WireHeaders#DLQ_ORIGIN}
 * ({@code topic-partition@offset}).
 *
 * <p>Never blocks the consume loop for long and never throws: a send waits at most
 * {@link #DEFAULT_SEND_TIMEOUT} for metadata or buffer space, {@link #awaitPending(Duration)}
 * waits a bounded time for acknowledgements, and a failed write is counted
 * ({@code tributary_sidecar_dead_letter_errors_total}) and logged, then the loop goes on.
 *
 * <p>Called from the consume thread; the producer's callbacks run on its I/O thread.
 */
public final class DeadLetterWriter implements AutoCloseable {
  /** The suffix of dead-letter topics: {@value}. */
  public static final String SUFFIX = ".dlq";
  /** The longest a send may block the caller (producer {@code max.block.ms}): 2 s. */
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(2);
  /** The longest error message kept in {@link WireHeaders#DLQ_ERROR}: {@value} characters. */
  public static final int MAX_ERROR_CHARS = 2000;

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

  private final Producer<byte[], byte[]> producer;
  private final SidecarMetrics metrics;
  private final List<Future<RecordMetadata>> pending = new ArrayList<>();
  /** A write since the last {@link #awaitPending} failed before it reached the producer. */
  private boolean failedToSend;

  private DeadLetterWriter(Producer<byte[], byte[]> producer, SidecarMetrics metrics) {
    this.producer = producer;
    this.metrics = metrics;
  }

  /**
   * A writer with its own producer (acks=all, the given Kafka properties on top, e.g. security).
   *
   * @param bootstrapServers Kafka bootstrap servers
   * @param kafkaProperties extra producer properties (consumer-only ones are ignored by Kafka)
   * @param metrics where writes and failures are counted
   */
  public static DeadLetterWriter create(String bootstrapServers, Map<String, Object> kafkaProperties,
      SidecarMetrics metrics) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    for (Map.Entry<String, Object> e : kafkaProperties.entrySet()) {
      if (ProducerConfig.configNames().contains(e.getKey())) {
        props.put(e.getKey(), e.getValue());
      }
    }
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEFAULT_SEND_TIMEOUT.toMillis());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "tributary-dlq-" + Long.toHexString(System.nanoTime()));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new DeadLetterWriter(new KafkaProducer<>(props), metrics);
  }

  /** A writer over a given producer (tests). */
  static DeadLetterWriter create(Producer<byte[], byte[]> producer, SidecarMetrics metrics) {
    return new DeadLetterWriter(producer, metrics);
  }

  /** The dead-letter topic of {@code topic}. */
  public static String topicFor(String topic) {
    return topic + SUFFIX;
  }

  /**
   * Sends {@code record} to its dead-letter topic and counts it by reason. Returns once the record
   * is handed to the producer; the acknowledgement is awaited by {@link #awaitPending(Duration)}.
   *
   * @param reason a short, stable, low-cardinality code, e.g. {@code invalid_name}
   * @param error what exactly was wrong, for humans
   */
  public void write(ConsumerRecord<byte[], byte[]> record, String reason, String error) {
    Objects.requireNonNull(reason, "reason");
    String dlq = topicFor(record.topic());
    RecordHeaders headers = new RecordHeaders();
    for (Header h : record.headers()) {
      if (!h.key().equals(WireHeaders.DLQ_REASON) && !h.key().equals(WireHeaders.DLQ_ERROR)
          && !h.key().equals(WireHeaders.DLQ_ORIGIN)) {
        headers.add(h.key(), h.value());
      }
    }
    String message = error == null ? "" : error;
    if (message.length() > MAX_ERROR_CHARS) {
      message = message.substring(0, MAX_ERROR_CHARS);
    }
    headers.add(WireHeaders.DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(WireHeaders.DLQ_ERROR, message.getBytes(StandardCharsets.UTF_8));
    headers.add(WireHeaders.DLQ_ORIGIN, origin(record).getBytes(StandardCharsets.UTF_8));
    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(dlq, null, record.key(), record.value(), headers);
    try {
      pending.add(producer.send(out, (metadata, exception) -> {
        if (exception == null) {
          metrics.deadLettered(record.topic(), reason);
        } else {
          metrics.deadLetterFailed(record.topic());
          LOG.warn("dead-letter write of {} to {} failed: {}", origin(record), dlq, exception.toString());
        }
      }));
    } catch (RuntimeException e) {
      // Metadata or buffer space not available within max.block.ms, or the producer is closed.
      failedToSend = true;
      metrics.deadLetterFailed(record.topic());
      LOG.warn("dead-letter write of {} to {} failed: {}", origin(record), dlq, e.toString());
    }
  }

  /**
   * Waits until the writes so far are acknowledged or failed, at most {@code timeout}. Call it
   * before committing the offsets of dead-lettered records.
   *
   * @return {@code true} if all writes since the last call were acknowledged in time (failures are
   *     counted either way)
   */
  public boolean awaitPending(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean allDone = !failedToSend;
    failedToSend = false;
    for (Future<RecordMetadata> f : pending) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        allDone = false; // counted by the callback
      } catch (TimeoutException e) {
        allDone = false;
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        allDone = false;
        break;
      }
    }
    if (!allDone) {
      LOG.warn("{} dead-letter write(s) not acknowledged within {}", pending.size(), timeout);
    }
    pending.clear();
    return allDone;
  }

  /** {@code topic-partition@offset} of a record. */
  public static String origin(ConsumerRecord<?, ?> record) {
    return record.topic() + '-' + record.partition() + '@' + record.offset();
  }

  /** Closes the producer, waiting at most 5 s for outstanding writes. */
  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
