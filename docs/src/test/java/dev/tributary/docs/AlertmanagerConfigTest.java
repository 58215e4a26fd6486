package dev.tributary.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/operations/alertmanager.yml: amtool accepts it, and alerts reach the receivers it promises. */
class AlertmanagerConfigTest {
  private static final Path CONFIG = OperationsKit.operations().resolve("alertmanager.yml");

  @Test
  void amtoolAcceptsTheConfiguration() {
    Tool.Result result = Tool.run(OperationsKit.operations(), "amtool", "check-config", CONFIG.toString());
    assertThat(result.ok()).as("amtool check-config:%n%s", result.output()).isTrue();
  }

  @Test
  void criticalAlertsPageAndEveryAlertIsPublished() {
    assertThat(receivers("severity=critical", "alertname=ServiceDown", "service=payment-service"))
        .isEqualTo("alert-publisher,oncall-pager,team-channel");
    assertThat(receivers("severity=warning", "alertname=PaymentConsumerLagHigh", "service=payment-service"))
        .isEqualTo("alert-publisher,team-channel");
  }

  @Test
  void serviceDownInhibitsTheWarningsOfItsService() {
    JsonNode inhibit = OperationsKit.yaml(CONFIG).path("inhibit_rules");
    boolean found = false;
    for (JsonNode rule : inhibit) {
      if (rule.path("source_matchers").toString().contains("ServiceDown")) {
        assertThat(rule.path("target_matchers").toString()).contains("warning");
        assertThat(rule.path("equal").toString()).contains("service");
        found = true;
      }
    }
    assertThat(found).as("an inhibit rule with ServiceDown as source").isTrue();
  }

  private static String receivers(String... labels) {
    List<String> cmd = new ArrayList<>(List.of("amtool", "config", "routes", "test", "--config.file=" + CONFIG));
    cmd.addAll(List.of(labels));
    Tool.Result result = Tool.run(OperationsKit.operations(), cmd.toArray(String[]::new));
    assertThat(result.ok()).as("amtool config routes test:%n%s", result.output()).isTrue();
    // the receivers on one line; amtool also warns that --config.file overrides --alertmanager.url
    return result.output().lines().filter(l -> !l.startsWith("Warning")).reduce("", String::concat).trim();
  }
}
