package dev.tributary.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicProvisioningReportTest {

    private static final List<TopicSpec> TOPICS = List.of(
            TopicSpec.builder("metrics.events").partitions(3).retention(Duration.ofDays(7)).compression("lz4").build(),
            TopicSpec.builder("logs.events").partitions(3).build(),
            TopicSpec.builder("health.events").partitions(3).copartitionedWith("metrics.events").build(),
            TopicSpec.builder("health.events.dlq").partitions(1).build());

    @Test
    void rendersOneLinePerFindingInFileOrder() {
        ProvisioningReport report = new ProvisioningReport(false, TOPICS, Set.of("health.events.dlq", "metrics.events"),
                List.of(new TopicDrift("health.events", TopicDrift.Kind.PARTITIONS_LOWER, "partitions", "3", "2"),
                        TopicDrift.notCopartitioned("health.events", 2, "metrics.events", 3)));

        assertThat(report.render()).isEqualTo(""
                + "created   metrics.events: 3 partitions, retention.ms=604800000, compression.type=lz4\n"
                + "matching  logs.events\n"
                + "drift     health.events: partitions: expected 3, actual 2 (fewer than declared)\n"
                + "drift     health.events: partitions: expected 3 like metrics.events, actual 2"
                + " (not co-partitioned with metrics.events)\n"
                + "created   health.events.dlq: 1 partition\n"
                + "4 topics: 2 created, 1 matching, 1 with drift (2 findings); nothing was altered or deleted\n");
        assertThat(report.created()).containsExactly("metrics.events", "health.events.dlq");
        assertThat(report.matching()).containsExactly("logs.events");
        assertThat(report.drifted()).containsExactly("health.events");
        assertThat(report.hasDrift()).isTrue();
        assertThat(report).hasToString(report.render());
    }

    @Test
    void dryRunSaysWhatWouldHappen() {
        ProvisioningReport report = new ProvisioningReport(true, TOPICS.subList(0, 2), Set.of("metrics.events"),
                List.of());

        assertThat(report.render()).isEqualTo(""
                + "would create metrics.events: 3 partitions, retention.ms=604800000, compression.type=lz4\n"
                + "matching     logs.events\n"
                + "2 topics: 1 to create, 1 matching, 0 with drift (0 findings); dry run, nothing was changed\n");
        assertThat(report.hasDrift()).isFalse();
        assertThat(report.dryRun()).isTrue();
    }
}
