package dev.tributary.exporter.kafka;

import dev.tributary.exporter.kafka.ClusterState.Broker;
import dev.tributary.exporter.kafka.ClusterState.Group;
import dev.tributary.exporter.kafka.ClusterState.Partition;
import dev.tributary.exporter.kafka.ClusterState.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection cycle against the cluster, through the {@link Admin} client: cluster, topics,
 * log-end offsets, then at most {@code maxGroups} consumer groups (round-robin). Every call carries
 * the admin timeout and every future is awaited against a deadline, so a cycle takes a bounded
 * time whatever the cluster does. Failures are counted per call; the cycle fails (returns
 * {@code null}) only if the cluster, the topic list or the topic descriptions cannot be read.
 *
 * <p>Runs on the exporter's single collection thread; holds the state that spans cycles (offset
 * history, partition counts, groups' last refresh).
 */
final class ClusterPoller {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterPoller.class);
  /** Slack over the admin timeout when waiting on a future, so the client's own timeout fires first. */
  private static final long GRACE_MILLIS = 1000;

  private final Admin admin;
  private final Clock clock;
  private final ExporterMetrics metrics;
  private final int timeoutMs;
  private final Pattern topics;
  private final Pattern groups;
  private final long rateWindowMillis;
  private final GroupRotation rotation;
  private final OffsetHistory<TopicPartition> partitionHistory;
  private final OffsetHistory<String> topicHistory;
  private final Map<String, Integer> partitionCounts = new HashMap<>();
  private final Map<String, Long> partitionCountChanges = new HashMap<>();
  private final Map<String, Group> groupStates = new TreeMap<>();
  private final Set<String> failedCalls = new HashSet<>(); // calls that failed this cycle: counted once each

  ClusterPoller(Admin admin, Clock clock, ExporterMetrics metrics, Duration timeout, Pattern topics, Pattern groups,
      int maxGroups, Duration offsetHistory, Duration rateWindow) {
    this.admin = admin;
    this.clock = clock;
    this.metrics = metrics;
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    this.topics = topics;
    this.groups = groups;
    this.rateWindowMillis = rateWindow.toMillis();
    this.rotation = new GroupRotation(maxGroups);
    this.partitionHistory = new OffsetHistory<>(offsetHistory.toMillis());
    this.topicHistory = new OffsetHistory<>(offsetHistory.toMillis());
  }

  /** Runs one cycle; {@code null} if the cluster could not be read (counted and logged). */
  ClusterState poll() {
    long now = clock.millis();
    failedCalls.clear();
    DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs));
    Collection<Node> nodes = await("describe_cluster", cluster.nodes());
    if (nodes == null) {
      return null;
    }
    Node controller = await("describe_cluster", cluster.controller());
    String clusterId = await("describe_cluster", cluster.clusterId());
    Set<String> names = await("list_topics", admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMs)).names());
    if (names == null) {
      return null;
    }
    List<String> wanted = names.stream().filter(n -> topics.matcher(n).matches()).sorted().toList();
    Map<String, TopicDescription> described = describeTopics(wanted);
    if (described == null) {
      return null;
    }
    Map<TopicPartition, Long> ends = logEndOffsets(described.values());
    List<Topic> topicStates = topics(described, ends, now);
    forgetDeleted(Set.copyOf(wanted), described);
    List<Group> groupList = groups(ends, now);
    List<Broker> brokers = new ArrayList<>();
    for (Node n : nodes) {
      brokers.add(new Broker(n.id(), n.host(), n.port(), n.rack()));
    }
    brokers.sort((a, b) -> Integer.compare(a.id(), b.id()));
    int controllerId = controller == null || controller.isEmpty() ? ClusterState.NONE : controller.id();
    return new ClusterState(clusterId == null ? "" : clusterId, List.copyOf(brokers), controllerId, topicStates, groupStates.size(),
        List.copyOf(groupList), now);
  }

  private Map<String, TopicDescription> describeTopics(List<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, KafkaFuture<TopicDescription>> futures =
        admin.describeTopics(names, new DescribeTopicsOptions().timeoutMs(timeoutMs)).topicNameValues();
    long deadline = deadline();
    Map<String, TopicDescription> out = new TreeMap<>();
    int failed = 0;
    for (Map.Entry<String, KafkaFuture<TopicDescription>> e : futures.entrySet()) {
      TopicDescription d = awaitUntil("describe_topics", e.getValue(), deadline);
      if (d == null) {
        failed++;
      } else {
        out.put(e.getKey(), d);
      }
    }
    // A topic deleted between listing and describing is normal; nothing described at all is not.
    return out.isEmpty() && failed > 0 ? null : out;
  }

  private Map<TopicPartition, Long> logEndOffsets(Collection<TopicDescription> described) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (TopicDescription d : described) {
      for (TopicPartitionInfo p : d.partitions()) {
        if (p.leader() != null && !p.leader().isEmpty()) { // an offline partition has no offset to give
          request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
        }
      }
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    if (request.isEmpty()) {
      return ends;
    }
    ListOffsetsResult result = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(timeoutMs));
    long deadline = deadline();
    for (TopicPartition tp : request.keySet()) {
      ListOffsetsResult.ListOffsetsResultInfo info = awaitUntil("list_offsets", result.partitionResult(tp), deadline);
      if (info != null) {
        ends.put(tp, info.offset());
      }
    }
    return ends;
  }

  private List<Topic> topics(Map<String, TopicDescription> described, Map<TopicPartition, Long> ends, long now) {
    List<Topic> out = new ArrayList<>();
    for (TopicDescription d : described.values()) {
      List<Partition> partitions = new ArrayList<>();
      long sum = 0;
      boolean complete = true;
      for (TopicPartitionInfo p : d.partitions()) {
        TopicPartition tp = new TopicPartition(d.name(), p.partition());
        Long end = ends.get(tp);
        if (end == null) {
          complete = false;
        } else {
          partitionHistory.record(tp, now, end);
          sum += end;
        }
        int leader = p.leader() == null || p.leader().isEmpty() ? ClusterState.NONE : p.leader().id();
        partitions.add(new Partition(p.partition(), leader, p.replicas().size(), p.isr().size(),
            end == null ? ClusterState.UNKNOWN : end));
      }
      partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      Integer before = partitionCounts.put(d.name(), partitions.size());
      if (before != null && before != partitions.size()) {
        partitionCountChanges.merge(d.name(), 1L, Long::sum);
        LOG.warn("topic {} changed from {} to {} partitions", d.name(), before, partitions.size());
      }
      if (complete) { // a sum over some partitions only would look like a drop in the rate
        topicHistory.record(d.name(), now, sum);
      }
      out.add(new Topic(d.name(), List.copyOf(partitions), topicHistory.rate(d.name(), rateWindowMillis),
          partitionCountChanges.getOrDefault(d.name(), 0L)));
    }
    return List.copyOf(out);
  }

  /**
   * Drops the state of topics no longer listed and of partitions beyond a described topic's count.
   * A listed topic whose description failed this cycle keeps its history and partition count.
   */
  private void forgetDeleted(Set<String> listed, Map<String, TopicDescription> described) {
    partitionHistory.retainIf(tp -> {
      if (!listed.contains(tp.topic())) {
        return false;
      }
      TopicDescription d = described.get(tp.topic());
      return d == null || tp.partition() < d.partitions().size();
    });
    topicHistory.retainIf(listed::contains);
    partitionCounts.keySet().retainAll(listed);
    partitionCountChanges.keySet().retainAll(listed);
  }

  private List<Group> groups(Map<TopicPartition, Long> ends, long now) {
    Collection<GroupListing> listed =
        await("list_groups", admin.listGroups(ListGroupsOptions.forConsumerGroups().timeoutMs(timeoutMs)).all());
    if (listed == null) {
      return new ArrayList<>(groupStates.values()); // keep what earlier cycles saw
    }
    List<String> ids = listed.stream().map(GroupListing::groupId).filter(g -> groups.matcher(g).matches())
        .distinct().sorted().toList();
    groupStates.keySet().retainAll(ids);
    List<String> chosen = rotation.next(ids);
    if (!chosen.isEmpty()) {
      Map<String, KafkaFuture<ConsumerGroupDescription>> descriptions =
          admin.describeConsumerGroups(chosen, new DescribeConsumerGroupsOptions().timeoutMs(timeoutMs)).describedGroups();
      Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
      chosen.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
      ListConsumerGroupOffsetsResult offsets =
          admin.listConsumerGroupOffsets(specs, new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs));
      long deadline = deadline();
      int described = 0;
      for (String g : chosen) {
        ConsumerGroupDescription d = awaitUntil("describe_groups", descriptions.get(g), deadline);
        Map<TopicPartition, OffsetAndMetadata> committed =
            awaitUntil("list_group_offsets", offsets.partitionsToOffsetAndMetadata(g), deadline);
        if (d == null || committed == null) {
          continue; // keep the group's last refresh
        }
        described++;
        groupStates.put(g, group(d, committed, ends, now));
      }
      metrics.groupsDescribed(described);
    }
    return new ArrayList<>(groupStates.values());
  }

  private Group group(ConsumerGroupDescription d, Map<TopicPartition, OffsetAndMetadata> committed,
      Map<TopicPartition, Long> ends, long now) {
    Map<TopicPartition, Long> offsets = new TreeMap<>(ClusterPoller::compare);
    Map<TopicPartition, Long> lag = new TreeMap<>(ClusterPoller::compare);
    Map<TopicPartition, Double> lagSeconds = new TreeMap<>(ClusterPoller::compare);
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
      TopicPartition tp = e.getKey();
      if (e.getValue() == null || !topics.matcher(tp.topic()).matches()) {
        continue;
      }
      long c = e.getValue().offset();
      offsets.put(tp, c);
      Long end = ends.get(tp);
      if (end == null) {
        continue; // no log end this cycle: no lag rather than a wrong one
      }
      long records = Math.max(0, end - c);
      lag.put(tp, records);
      double seconds = 0;
      if (records > 0) {
        long appended = partitionHistory.appendTime(tp, c);
        seconds = appended == Long.MIN_VALUE ? 0 : Math.max(0, now - appended) / 1000.0;
      }
      lagSeconds.put(tp, seconds);
    }
    String state = d.groupState() == null ? "unknown" : d.groupState().name().toLowerCase(Locale.ROOT);
    return new Group(d.groupId(), state, d.members().size(), offsets, lag, lagSeconds, now);
  }

  private static int compare(TopicPartition a, TopicPartition b) {
    int c = a.topic().compareTo(b.topic());
    return c != 0 ? c : Integer.compare(a.partition(), b.partition());
  }

  private long deadline() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + GRACE_MILLIS);
  }

  private <T> T await(String call, KafkaFuture<T> future) {
    return awaitUntil(call, future, deadline());
  }

  /**
   * The future's value, or {@code null} on failure or deadline; a call's first failure in a cycle is
   * counted and logged, the rest (other partitions, other groups of the same call) only return null.
   */
  private <T> T awaitUntil(String call, KafkaFuture<T> future, long deadlineNanos) {
    if (future == null) {
      return null;
    }
    try {
      return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      if (failedCalls.add(call)) {
        metrics.adminError(call);
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        LOG.warn("admin call {} failed: {}", call, cause.toString());
      }
      return null;
    }
  }
}
