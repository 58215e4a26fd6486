package dev.tributary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerProfilesTest {

  @Test
  void theTwoProducersKeepDistinctClientIdsWhenTheUserSetsOne() {
    Map<String, String> user = Map.of("client.id", "payments", "acks", "all");
    assertThat(ProducerProfiles.throughput("k:9092", user, "tributary-svc-telemetry").get("client.id"))
        .isEqualTo("payments-telemetry");
    assertThat(ProducerProfiles.durable("k:9092", user, "tributary-svc-events").get("client.id"))
        .isEqualTo("payments-events");
  }

  @Test
  void userPropertiesApplyButNeverTheOnesThatWouldBlock() {
    Map<String, Object> p = ProducerProfiles.throughput("k:9092", Map.of("linger.ms", "50", "max.block.ms", "60000"), "id");
    assertThat(p).containsEntry("linger.ms", "50").containsEntry("max.block.ms", "0").containsEntry("acks", "1");
    assertThat(ProducerProfiles.durable("k:9092", Map.of(), "id"))
        .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
  }
}
