package dev.tributary.bench;

import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.KafkaBrokerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The broker a benchmark runs against: one it started itself (in a child JVM, or in this one), or
 * an external one given by address. Topics are created up front through the AdminClient, and only used once every
 * partition has a leader.
 */
final class BenchBroker implements AutoCloseable {
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private final AutoCloseable owned;
  private final String bootstrapServers;
  private final String description;
  private final boolean inThisJvm;

  private BenchBroker(AutoCloseable owned, String bootstrapServers, String description, boolean inThisJvm) {
    this.owned = owned;
    this.bootstrapServers = bootstrapServers;
    this.description = description;
    this.inThisJvm = inThisJvm;
  }

  /**
   * Starts a single-node KRaft broker from the test kit in a child JVM (this JVM's class path), so
   * that the broker's CPU time, heap and GC pauses are not charged to the client under test.
   */
  static BenchBroker startProcess() {
    KafkaBrokerProcess broker = KafkaBrokerProcess.start();
    return new BenchBroker(broker, broker.bootstrapServers(),
        "broker in a child JVM (testkit KafkaBrokerProcess, pid " + broker.pid() + ")", false);
  }

  /**
   * Starts a single-node KRaft broker from the test kit inside this JVM. Its threads and heap are
   * then this process's: process CPU figures include the broker's work.
   */
  static BenchBroker startInJvm() {
    KafkaBroker broker = KafkaBroker.start();
    return new BenchBroker(broker, broker.bootstrapServers(), "in-JVM broker (testkit KafkaBroker)", true);
  }

  /** A broker someone else runs; {@link #close()} leaves it alone. */
  static BenchBroker external(String bootstrapServers) {
    return new BenchBroker(null, bootstrapServers, "external broker at " + bootstrapServers, false);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Whether the broker shares this JVM (and so its CPU time and heap). */
  boolean inThisJvm() {
    return inThisJvm;
  }

  /** Whether this broker was started here (and so has none of our topics yet). */
  boolean startedHere() {
    return owned != null;
  }

  String description() {
    return description;
  }

  /** Creates the topics (name to partition count) and waits until every partition has a leader. */
  void createTopics(Map<String, Integer> topics) {
    List<NewTopic> newTopics = new ArrayList<>();
    topics.forEach((name, partitions) -> newTopics.add(new NewTopic(name, partitions, (short) 1)));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(newTopics).all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
      while (!allLed(admin, topics)) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("topics " + topics.keySet() + " have no leaders after " + TOPIC_TIMEOUT);
        }
        Thread.sleep(50);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topics " + topics.keySet() + " on " + bootstrapServers, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /**
   * Bytes the broker holds for a topic (the record batches as written: compressed, with headers),
   * summed over its partitions' log directories.
   */
  long topicBytes(String topic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<Integer> brokers = new ArrayList<>();
      for (org.apache.kafka.common.Node node : admin.describeCluster().nodes().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        brokers.add(node.id());
      }
      long bytes = 0;
      for (Map<String, org.apache.kafka.clients.admin.LogDirDescription> dirs
          : admin.describeLogDirs(brokers).allDescriptions().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
        for (org.apache.kafka.clients.admin.LogDirDescription dir : dirs.values()) {
          for (Map.Entry<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.ReplicaInfo> r
              : dir.replicaInfos().entrySet()) {
            if (r.getKey().topic().equals(topic)) {
              bytes += r.getValue().size();
            }
          }
        }
      }
      return bytes;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe the log directories of " + bootstrapServers, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing log directories", e);
    }
  }

  private static boolean allLed(Admin admin, Map<String, Integer> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> described =
        admin.describeTopics(topics.keySet()).allTopicNames().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    for (Map.Entry<String, Integer> t : topics.entrySet()) {
      TopicDescription d = described.get(t.getKey());
      if (d == null || d.partitions().size() != t.getValue()) {
        return false;
      }
      for (TopicPartitionInfo p : d.partitions()) {
        if (p.leader() == null || p.leader().isEmpty()) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop " + description, e);
      }
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
