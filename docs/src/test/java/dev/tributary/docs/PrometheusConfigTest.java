package dev.tributary.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/operations/prometheus.yml: promtool accepts it (with the rule files it loads). */
class PrometheusConfigTest {
  private static final Path CONFIG = OperationsKit.operations().resolve("prometheus.yml");

  @Test
  void promtoolAcceptsTheConfigurationAndItsRuleFiles() {
    Tool.Result result = Tool.run(OperationsKit.operations(), "promtool", "check", "config", CONFIG.toString());
    assertThat(result.ok()).as("promtool check config:%n%s", result.output()).isTrue();
    for (Path rules : OperationsKit.ruleFiles()) {
      assertThat(result.output()).as("loads %s", rules.getFileName()).contains(rules.getFileName().toString());
    }
  }

  @Test
  void thePrometheusSidecarJobHonoursTheApplicationsLabels() {
    JsonNode job = job("tributary-prometheus-sidecar");
    assertThat(job.path("honor_labels").asBoolean()).isTrue();
    assertThat(job.path("dns_sd_configs").path(0).path("port").asInt()).isEqualTo(9400);
    assertThat(job("tributary-elasticsearch-sidecar").path("dns_sd_configs").path(0).path("port").asInt()).isEqualTo(9402);
  }

  private static JsonNode job(String name) {
    for (JsonNode job : OperationsKit.yaml(CONFIG).path("scrape_configs")) {
      if (job.path("job_name").asText().equals(name)) {
        return job;
      }
    }
    throw new AssertionError("no scrape job " + name + " in " + CONFIG);
  }
}
