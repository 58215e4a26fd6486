package dev.tributary.exporter.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** What one collection cycle saw of the cluster; immutable. */
record ClusterState(String clusterId, List<Broker> brokers, int controllerId, List<Topic> topics, int groupsListed,
    List<Group> groups, long atMillis) {

  /** No leader, no controller. */
  static final int NONE = -1;
  /** An offset that could not be read this cycle. */
  static final long UNKNOWN = -1;

  record Broker(int id, String host, int port, String rack) {}

  /** {@code logEndOffset} is {@link #UNKNOWN} when the partition's offset could not be read this cycle. */
  record Partition(int partition, int leader, int replicas, int inSyncReplicas, long logEndOffset) {
    boolean offline() {
      return leader == NONE;
    }

    boolean underReplicated() {
      return inSyncReplicas < replicas;
    }
  }

  /** {@code messagesPerSecond} is NaN until two samples exist. */
  record Topic(String name, List<Partition> partitions, double messagesPerSecond, long partitionCountChanges) {}

  /** A consumer group as of its last refresh (groups are refreshed round-robin, see {@link GroupRotation}). */
  record Group(String id, String state, int members, Map<TopicPartition, Long> committed,
      Map<TopicPartition, Long> lag, Map<TopicPartition, Double> lagSeconds, long refreshedAtMillis) {}
}
