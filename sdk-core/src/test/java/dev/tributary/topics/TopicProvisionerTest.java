package dev.tributary.topics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicProvisionerTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

    @Test
    void applyingTheDefaultsCreatesEveryTopicExactlyAsDeclaredThenNothing() throws Exception {
        TopicProvisioner provisioner = TopicProvisioner.create(KAFKA.broker().admin(), Duration.ofSeconds(30));
        List<String> names = List.of("metrics.events", "logs.events", "health.events",
                "metrics.events.dlq", "logs.events.dlq", "health.events.dlq");

        ProvisioningReport first = provisioner.apply(TopicsFile.defaults());

        assertThat(first.created()).containsExactlyElementsOf(names);
        assertThat(first.matching()).isEmpty();
        assertThat(first.hasDrift()).isFalse();
        assertThat(partitionCounts(names)).containsExactly(
                Map.entry("metrics.events", 3), Map.entry("logs.events", 3), Map.entry("health.events", 3),
                Map.entry("metrics.events.dlq", 1), Map.entry("logs.events.dlq", 1), Map.entry("health.events.dlq", 1));
        assertThat(config("metrics.events", "retention.ms", "compression.type", "cleanup.policy"))
                .containsExactly("604800000", "lz4", "delete");
        assertThat(config("logs.events", "retention.ms", "compression.type", "cleanup.policy"))
                .containsExactly("604800000", "lz4", "delete");
        assertThat(config("health.events", "retention.ms", "compression.type", "cleanup.policy"))
                .containsExactly("604800000", "producer", "compact,delete");
        for (String dlq : List.of("metrics.events.dlq", "logs.events.dlq", "health.events.dlq")) {
            assertThat(config(dlq, "retention.ms", "cleanup.policy")).as(dlq).containsExactly("2592000000", "delete");
        }

        ProvisioningReport second = provisioner.apply(TopicsFile.defaults());

        assertThat(second.created()).isEmpty();
        assertThat(second.matching()).containsExactlyElementsOf(names);
        assertThat(second.drift()).isEmpty();
        assertThat(second.render()).endsWith(
                "6 topics: 0 created, 6 matching, 0 with drift (0 findings); nothing was altered or deleted\n");
    }

    @Test
    void existingTopicThatDiffersIsReportedAndLeftUntouched() throws Exception {
        KAFKA.broker().createTopic("orders.events", 1, Map.of("retention.ms", "86400000"));
        TopicsFile file = parse("{\"topics\": [{\"name\": \"orders.events\", \"partitions\": 2, \"retention\": \"30d\","
                + " \"cleanupPolicy\": \"delete\"}]}");

        ProvisioningReport report = TopicProvisioner.create(KAFKA.broker().admin()).apply(file);

        assertThat(report.created()).isEmpty();
        assertThat(report.matching()).isEmpty();
        assertThat(report.drift()).containsExactly(
                new TopicDrift("orders.events", TopicDrift.Kind.PARTITIONS_LOWER, "partitions", "2", "1"),
                new TopicDrift("orders.events", TopicDrift.Kind.CONFIG_DIFFERS, "retention.ms", "2592000000",
                        "86400000"));
        assertThat(report.render()).isEqualTo(""
                + "drift     orders.events: partitions: expected 2, actual 1 (fewer than declared)\n"
                + "drift     orders.events: retention.ms: expected 2592000000 (30d), actual 86400000 (1d)\n"
                + "1 topic: 0 created, 0 matching, 1 with drift (2 findings); nothing was altered or deleted\n");
        assertThat(partitionCounts(List.of("orders.events"))).containsExactly(Map.entry("orders.events", 1));
        assertThat(config("orders.events", "retention.ms")).containsExactly("86400000");
    }

    @Test
    void brokenCopartitioningInTheClusterIsReported() throws Exception {
        KAFKA.broker().createTopic("cp.metrics", 4);
        TopicsFile file = parse("{\"topics\": [{\"name\": \"cp.metrics\", \"partitions\": 3},"
                + " {\"name\": \"cp.health\", \"partitions\": 3, \"copartitionedWith\": \"cp.metrics\"}]}");

        ProvisioningReport report = TopicProvisioner.create(KAFKA.broker().admin()).apply(file);

        assertThat(report.created()).containsExactly("cp.health");
        assertThat(report.drift()).containsExactly(
                new TopicDrift("cp.metrics", TopicDrift.Kind.PARTITIONS_HIGHER, "partitions", "3", "4"),
                TopicDrift.notCopartitioned("cp.health", 3, "cp.metrics", 4));
        assertThat(report.drifted()).containsExactly("cp.metrics", "cp.health");
    }

    @Test
    void planReportsWithoutCreating() throws Exception {
        KAFKA.broker().createTopic("plan.present", 1);
        TopicsFile file = parse("{\"topics\": [{\"name\": \"plan.present\", \"partitions\": 1},"
                + " {\"name\": \"plan.missing\", \"partitions\": 2, \"retention\": \"1h\"}]}");

        ProvisioningReport report = TopicProvisioner.create(KAFKA.broker().admin()).plan(file);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.created()).containsExactly("plan.missing");
        assertThat(report.matching()).containsExactly("plan.present");
        assertThat(KAFKA.broker().admin().listTopics().names().get(10, TimeUnit.SECONDS))
                .contains("plan.present").doesNotContain("plan.missing");
    }

    @Test
    void topicsTheBrokerRefusesFailBothPlanAndApplyNamingTheTopic() throws Exception {
        TopicsFile file = parse("{\"topics\": [{\"name\": \"refused.events\", \"partitions\": 1,"
                + " \"replicationFactor\": 3}]}");
        TopicProvisioner provisioner = TopicProvisioner.create(KAFKA.broker().admin());

        assertThatThrownBy(() -> provisioner.plan(file))
                .isInstanceOf(TopicProvisioningException.class)
                .isNotInstanceOf(ClusterUnreachableException.class)
                .hasMessageStartingWith("the Kafka cluster would refuse to create refused.events"
                        + " (InvalidReplicationFactorException: ");
        assertThatThrownBy(() -> provisioner.apply(file))
                .hasMessageStartingWith("the Kafka cluster refused to create refused.events"
                        + " (InvalidReplicationFactorException: ");
        assertThat(KAFKA.broker().admin().listTopics().names().get(10, TimeUnit.SECONDS))
                .doesNotContain("refused.events");
    }

    @Test
    void topicCreatedConcurrentlyCountsAsPresent() throws Exception {
        TopicsFile file = parse("{\"topics\": [{\"name\": \"raced.events\", \"partitions\": 2, \"retention\": \"30d\"}]}");
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());

        try (Admin admin = new ForwardingAdmin(config) {
            private boolean raced;

            /** Answers "missing", then lets another client create the topic before the provisioner does. */
            @Override
            public DescribeTopicsResult describeTopics(TopicCollection topics, DescribeTopicsOptions options) {
                DescribeTopicsResult result = super.describeTopics(topics, options);
                if (!raced) {
                    raced = true;
                    assertThatThrownBy(() -> result.allTopicNames().get(10, TimeUnit.SECONDS))
                            .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
                    KAFKA.broker().createTopic("raced.events", 2, Map.of("retention.ms", "2592000000"));
                }
                return result;
            }
        }) {
            ProvisioningReport report = TopicProvisioner.create(admin).apply(file);

            assertThat(report.created()).isEmpty();
            assertThat(report.matching()).containsExactly("raced.events");
        }
    }

    @Test
    void unreachableClusterFailsWithinTheTimeoutNamingTheServers() {
        String nowhere = "127.0.0.1:" + FreePorts.find();

        ClusterUnreachableException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (TopicProvisioner provisioner = TopicProvisioner.connect(
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, nowhere), Duration.ofSeconds(2))) {
                return (ClusterUnreachableException) catchThrowable(
                        () -> provisioner.apply(TopicsFile.defaults()));
            }
        });

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("the Kafka cluster at " + nowhere + " did not answer within 2s"
                + " (describeTopics: TimeoutException: ");
    }

    private static Map<String, Integer> partitionCounts(List<String> topics) throws Exception {
        Map<String, TopicDescription> descriptions = KAFKA.broker().admin().describeTopics(topics).allTopicNames()
                .get(10, TimeUnit.SECONDS);
        return topics.stream().collect(Collectors.toMap(t -> t, t -> descriptions.get(t).partitions().size(),
                (a, b) -> a, LinkedHashMap::new));
    }

    private static List<String> config(String topic, String... keys) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = KAFKA.broker().admin().describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS)
                .get(resource);
        return Arrays.stream(keys).map(key -> config.get(key).value()).collect(Collectors.toList());
    }

    private static TopicsFile parse(String json) throws IOException {
        return TopicsFile.parse(new ByteArrayInputStream(json.getBytes(UTF_8)));
    }
}
