package dev.tributary.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void builderProducesTheTopicConfigsKafkaGets() {
        TopicSpec spec = TopicSpec.builder("payment.events")
                .partitions(2)
                .retention(Duration.ofDays(30))
                .compression("lz4")
                .cleanupPolicy("delete, compact")
                .config("min.insync.replicas", "2")
                .build();

        assertThat(spec.topicConfigs()).containsExactly(
                Map.entry("retention.ms", "2592000000"),
                Map.entry("compression.type", "lz4"),
                Map.entry("cleanup.policy", "compact,delete"),
                Map.entry("min.insync.replicas", "2"));
        assertThat(spec.replicationFactor()).isEmpty();
        assertThat(spec).isEqualTo(TopicSpec.builder("payment.events").partitions(2).retention(Duration.ofDays(30))
                .compression("lz4").cleanupPolicy("compact,delete").config("min.insync.replicas", "2").build());
        assertThat(spec).hasToString("TopicSpec[payment.events, partitions=2, retention=30d, compression=lz4,"
                + " cleanupPolicy=compact,delete, config={min.insync.replicas=2}]");
    }

    @Test
    void builderNamesEveryInvalidField() {
        assertThatThrownBy(() -> TopicSpec.builder("payment.events").retention(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TopicSpec.partitions is required (topic 'payment.events'); "
                        + "TopicSpec.retention must be positive, got 0ms (for unlimited retention set config"
                        + " retention.ms to -1) (topic 'payment.events')");
        assertThatThrownBy(() -> TopicSpec.builder("x".repeat(250)).partitions(1).build())
                .hasMessageStartingWith("TopicSpec.name must be at most 249 characters, got 250");
        assertThatThrownBy(() -> TopicSpec.builder("..").partitions(1).build())
                .hasMessage("TopicSpec.name may contain only ASCII letters, digits, '.', '_' and '-', got '..'");
        assertThatThrownBy(() -> TopicSpec.builder("a").partitions(1).copartitionedWith("a").build())
                .hasMessage("TopicSpec.copartitionedWith must name another topic, not itself (topic 'a')");
    }

    @Test
    void specsAreImmutable() {
        TopicSpec spec = TopicSpec.builder("a").partitions(1).config("k", "v").build();

        assertThatThrownBy(() -> spec.config().put("k2", "v2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.topicConfigs().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
