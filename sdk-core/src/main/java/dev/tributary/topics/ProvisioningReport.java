package dev.tributary.topics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@link TopicProvisioner#apply(TopicsFile)} did, or what {@link TopicProvisioner#plan(TopicsFile)}
 * would do: the topics created, the topics already present and matching their declaration, and every
 * {@link TopicDrift drift} finding. All lists are in topics-file order.
 *
 * <p>{@link #render()} gives one line per finding, then a summary line:
 * <pre>
 * created   metrics.events: 3 partitions, retention.ms=604800000, compression.type=lz4, cleanup.policy=delete
 * matching  logs.events
 * drift     health.events: partitions: expected 3, actual 2 (fewer than declared)
 * 3 topics: 1 created, 1 matching, 1 with drift (1 finding); nothing was altered or deleted
 * </pre>
 */
public final class ProvisioningReport {

    private final boolean dryRun;
    private final List<TopicSpec> topics;
    private final List<String> created;
    private final List<String> matching;
    private final List<TopicDrift> drift;

    ProvisioningReport(boolean dryRun, List<TopicSpec> topics, Set<String> created, List<TopicDrift> drift) {
        this.dryRun = dryRun;
        this.topics = List.copyOf(topics);
        this.drift = List.copyOf(drift);
        Set<String> drifted = drift.stream().map(TopicDrift::topic).collect(Collectors.toSet());
        this.created = topics.stream().map(TopicSpec::name).filter(created::contains).collect(Collectors.toList());
        this.matching = topics.stream().map(TopicSpec::name)
                .filter(name -> !created.contains(name) && !drifted.contains(name))
                .collect(Collectors.toList());
    }

    /** @return whether this is the report of a dry run ({@link TopicProvisioner#plan(TopicsFile)}) */
    public boolean dryRun() {
        return dryRun;
    }

    /** @return the topics that were created; in a dry run, the topics that would be */
    public List<String> created() {
        return List.copyOf(created);
    }

    /** @return the topics that already existed and match their declaration in every declared respect */
    public List<String> matching() {
        return List.copyOf(matching);
    }

    /** @return every difference between declaration and cluster, grouped by topic in file order */
    public List<TopicDrift> drift() {
        return drift;
    }

    /**
     * @return the topics with at least one drift finding; usually existing topics, but a topic just
     *     created can be {@link TopicDrift.Kind#NOT_COPARTITIONED not co-partitioned} with an existing one
     */
    public List<String> drifted() {
        return List.copyOf(drift.stream().map(TopicDrift::topic).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** @return whether any declared topic differs from the cluster */
    public boolean hasDrift() {
        return !drift.isEmpty();
    }

    /**
     * One line per finding ({@code created}, or {@code would create} in a dry run; {@code matching};
     * {@code drift}), in topics-file order, then a summary line. Lines end with {@code \n}.
     *
     * @return the rendered report
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        Map<String, List<TopicDrift>> driftByTopic = drift.stream()
                .collect(Collectors.groupingBy(TopicDrift::topic));
        for (TopicSpec topic : topics) {
            if (created.contains(topic.name())) {
                out.append(dryRun ? "would create " : "created   ").append(topic.name()).append(": ")
                        .append(creationDetails(topic)).append('\n');
            } else if (matching.contains(topic.name())) {
                out.append(dryRun ? "matching     " : "matching  ").append(topic.name()).append('\n');
            }
            for (TopicDrift finding : driftByTopic.getOrDefault(topic.name(), List.of())) {
                out.append(dryRun ? "drift        " : "drift     ").append(topic.name()).append(": ")
                        .append(finding.describe()).append('\n');
            }
        }
        out.append(summary()).append('\n');
        return out.toString();
    }

    private String summary() {
        int findings = drift.size();
        return topics.size() + (topics.size() == 1 ? " topic: " : " topics: ")
                + created.size() + (dryRun ? " to create, " : " created, ")
                + matching.size() + " matching, "
                + drifted().size() + " with drift (" + findings + (findings == 1 ? " finding)" : " findings)")
                + (dryRun ? "; dry run, nothing was changed" : "; nothing was altered or deleted");
    }

    private static String creationDetails(TopicSpec topic) {
        List<String> details = new ArrayList<>();
        details.add(topic.partitions() + (topic.partitions() == 1 ? " partition" : " partitions"));
        topic.replicationFactor().ifPresent(rf -> details.add("replication factor " + rf));
        topic.topicConfigs().forEach((key, value) -> details.add(key + "=" + value));
        return String.join(", ", details);
    }

    /** @return {@link #render()} */
    @Override
    public String toString() {
        return render();
    }
}
