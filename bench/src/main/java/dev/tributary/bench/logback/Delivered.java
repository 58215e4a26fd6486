package dev.tributary.bench.logback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What reached the broker, by topic end offsets: the one measure that applies equally to a bare
 * producer, to Tributary and to the peer (which has no delivery counter).
 */
final class Delivered implements AutoCloseable {
  static final int PARTITIONS = 3;
  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> consumer;

  Delivered(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    admin = Admin.create(p);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(p);
  }

  void createTopic(String topic) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
  }

  long count(String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (int i = 0; i < PARTITIONS; i++) {
      partitions.add(new TopicPartition(topic, i));
    }
    long n = 0;
    for (Map.Entry<TopicPartition, Long> e : consumer.endOffsets(partitions, Duration.ofSeconds(10)).entrySet()) {
      n += e.getValue();
    }
    return n;
  }

  /**
   * Bytes the broker holds for {@code topic} (its log segments: record batches as sent, compressed,
   * with their headers), the sum over every broker's log directories.
   */
  long bytes(String topic) throws Exception {
    List<Integer> brokers = new ArrayList<>();
    for (var node : admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)) {
      brokers.add(node.id());
    }
    long n = 0;
    for (var dirs : admin.describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS).values()) {
      for (var dir : dirs.values()) {
        for (var replica : dir.replicaInfos().entrySet()) {
          if (replica.getKey().topic().equals(topic)) {
            n += replica.getValue().size();
          }
        }
      }
    }
    return n;
  }

  /** Polls until {@code topic} holds {@code n} records; returns the count reached (less on timeout). */
  long await(String topic, long n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long c;
    while ((c = count(topic)) < n && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return c;
  }

  /** The count once it stopped growing for {@code quiet}. */
  long settle(String topic, Duration quiet, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    long last = count(topic);
    long since = System.nanoTime();
    while (System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      long c = count(topic);
      if (c != last) {
        last = c;
        since = System.nanoTime();
      } else if (System.nanoTime() - since >= quiet.toNanos()) {
        break;
      }
    }
    return last;
  }

  @Override
  public void close() {
    consumer.close();
    admin.close();
  }
}
