package dev.tributary.exporter.kafka;

import dev.tributary.exporter.kafka.ClusterState.Broker;
import dev.tributary.exporter.kafka.ClusterState.Group;
import dev.tributary.exporter.kafka.ClusterState.Partition;
import dev.tributary.exporter.kafka.ClusterState.Topic;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns a {@link ClusterState} into client_java snapshots; the names are documented in
 * {@code docs/kafka-exporter.md}. A metric without data points is left out.
 */
final class ClusterMetrics {
  private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
  private final Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();
  private final List<MetricSnapshot> infos = new ArrayList<>();

  private ClusterMetrics() {}

  /** The snapshots of {@code state}; ages are computed against {@code nowMillis}. */
  static List<MetricSnapshot> snapshots(ClusterState state, long nowMillis) {
    ClusterMetrics m = new ClusterMetrics();
    m.cluster(state);
    for (Topic t : state.topics()) {
      m.topic(t);
    }
    for (Group g : state.groups()) {
      m.group(g, nowMillis);
    }
    return m.build();
  }

  private void cluster(ClusterState s) {
    gauge("tributary_kafka_brokers", "Brokers in the cluster", Labels.EMPTY, s.brokers().size());
    if (!s.brokers().isEmpty()) {
      InfoSnapshot.Builder info = InfoSnapshot.builder().name("tributary_kafka_broker").help("A broker of the cluster");
      for (Broker b : s.brokers()) {
        info.dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("broker_id", Integer.toString(b.id()), "host",
            b.host(), "port", Integer.toString(b.port()), "rack", b.rack() == null ? "" : b.rack())).build());
      }
      infos.add(info.build()); // exposed as tributary_kafka_broker_info
    }
    gauge("tributary_kafka_controller_id", "Id of the active controller, -1 if none is known", Labels.EMPTY,
        s.controllerId());
    gauge("tributary_kafka_topics", "Topics exported (matching topics.pattern)", Labels.EMPTY, s.topics().size());
    int partitions = 0;
    int under = 0;
    int offline = 0;
    for (Topic t : s.topics()) {
      for (Partition p : t.partitions()) {
        partitions++;
        under += p.underReplicated() ? 1 : 0;
        offline += p.offline() ? 1 : 0;
      }
    }
    gauge("tributary_kafka_partitions", "Partitions of the exported topics", Labels.EMPTY, partitions);
    gauge("tributary_kafka_under_replicated_partitions", "Partitions with fewer in-sync replicas than replicas",
        Labels.EMPTY, under);
    gauge("tributary_kafka_offline_partitions", "Partitions without a leader", Labels.EMPTY, offline);
    gauge("tributary_kafka_consumergroups", "Consumer groups exported (matching groups.pattern)", Labels.EMPTY,
        s.groupsListed());
  }

  private void topic(Topic t) {
    Labels topic = Labels.of("topic", t.name());
    gauge("tributary_kafka_topic_partitions", "Partitions of the topic", topic, t.partitions().size());
    counter("tributary_kafka_topic_partition_count_changes",
        "Changes of the topic's partition count seen since the exporter started", topic, t.partitionCountChanges());
    int under = 0;
    int offline = 0;
    long sum = 0;
    boolean complete = true;
    for (Partition p : t.partitions()) {
      Labels labels = Labels.of("topic", t.name(), "partition", Integer.toString(p.partition()));
      gauge("tributary_kafka_partition_leader", "Broker id of the partition's leader, -1 if none", labels, p.leader());
      gauge("tributary_kafka_partition_replicas", "Replicas of the partition", labels, p.replicas());
      gauge("tributary_kafka_partition_in_sync_replicas", "In-sync replicas of the partition", labels,
          p.inSyncReplicas());
      gauge("tributary_kafka_partition_under_replicated", "1 if the partition has fewer in-sync replicas than replicas",
          labels, p.underReplicated() ? 1 : 0);
      gauge("tributary_kafka_partition_offline", "1 if the partition has no leader", labels, p.offline() ? 1 : 0);
      if (p.logEndOffset() == ClusterState.UNKNOWN) {
        complete = false;
      } else {
        gauge("tributary_kafka_partition_log_end_offset",
            "Offset of the next record appended to the partition (the high watermark)", labels, p.logEndOffset());
        sum += p.logEndOffset();
      }
      under += p.underReplicated() ? 1 : 0;
      offline += p.offline() ? 1 : 0;
    }
    gauge("tributary_kafka_topic_under_replicated_partitions", "Under-replicated partitions of the topic", topic, under);
    gauge("tributary_kafka_topic_offline_partitions", "Partitions of the topic without a leader", topic, offline);
    if (complete) {
      gauge("tributary_kafka_topic_log_end_offset", "Sum of the log-end offsets of the topic's partitions", topic, sum);
    }
    if (!Double.isNaN(t.messagesPerSecond())) {
      gauge("tributary_kafka_topic_messages_per_second",
          "Records appended per second over rate.window, from log-end offsets", topic, t.messagesPerSecond());
    }
  }

  private void group(Group g, long nowMillis) {
    Labels group = Labels.of("group", g.id());
    gauge("tributary_kafka_consumergroup_state", "1 for the group's state at its last refresh",
        Labels.of("group", g.id(), "state", g.state()), 1);
    gauge("tributary_kafka_consumergroup_members", "Members of the group", group, g.members());
    gaugeSeconds("tributary_kafka_consumergroup_refresh_age_seconds",
        "Time since the group was last described (groups are refreshed round-robin)", group,
        Math.max(0, nowMillis - g.refreshedAtMillis()) / 1000.0);
    for (Map.Entry<TopicPartition, Long> e : g.committed().entrySet()) {
      Labels labels = partitionLabels(g, e.getKey());
      gauge("tributary_kafka_consumergroup_committed_offset", "Offset the group committed", labels, e.getValue());
    }
    for (Map.Entry<TopicPartition, Long> e : g.lag().entrySet()) {
      Labels labels = partitionLabels(g, e.getKey());
      gauge("tributary_kafka_consumergroup_lag_records", "Records between the group's committed offset and the log end",
          labels, e.getValue());
      gaugeSeconds("tributary_kafka_consumergroup_lag_seconds",
          "Estimated age of the oldest record the group has not consumed", labels, g.lagSeconds().get(e.getKey()));
    }
  }

  private static Labels partitionLabels(Group g, TopicPartition tp) {
    return Labels.of("group", g.id(), "topic", tp.topic(), "partition", Integer.toString(tp.partition()));
  }

  private void gauge(String name, String help, Labels labels, double value) {
    gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
        .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
  }

  private void gaugeSeconds(String name, String help, Labels labels, double value) {
    gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help).unit(Unit.SECONDS))
        .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
  }

  private void counter(String name, String help, Labels labels, double value) {
    counters.computeIfAbsent(name, n -> CounterSnapshot.builder().name(n).help(help))
        .dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
  }

  private List<MetricSnapshot> build() {
    List<MetricSnapshot> out = new ArrayList<>(infos);
    gauges.values().forEach(b -> out.add(b.build()));
    counters.values().forEach(b -> out.add(b.build()));
    return out;
  }
}
