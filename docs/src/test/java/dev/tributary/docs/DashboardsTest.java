package dev.tributary.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.testkit.PromQl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards of docs/operations/dashboards: valid JSON models with unique panel ids, a
 * Prometheus datasource variable, service/instance variables, and a PromQL expression that promtool
 * accepts in every panel (each is wrapped in a throwaway recording rule).
 */
class DashboardsTest {
  static final Map<String, String> DASHBOARDS = Map.of(
      "payment-processing-overview.json", "Payment processing overview",
      "tributary-pipeline-health.json", "Tributary pipeline health");
  private static final String DATASOURCE_UID = "${datasource}";

  static List<Path> dashboardFiles() {
    return OperationsKit.files(OperationsKit.dashboards(), ".json");
  }

  /** Every panel, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      out.add(panel);
      panel.path("panels").forEach(out::add);
    }
    return out;
  }

  /** Every PromQL expression of a dashboard, by a name saying where it is. */
  static Map<String, String> expressions(JsonNode dashboard) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        out.put("panel " + panel.path("id").asText() + " \"" + panel.path("title").asText() + "\" "
            + target.path("refId").asText(), target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        String selector = PromQl.labelValuesSelector(variable.path("definition").asText());
        out.put("variable " + variable.path("name").asText(), selector == null ? "" : selector);
      }
    }
    return out;
  }

  @Test
  void bothDashboardsExistWithTheirTitles() {
    for (Map.Entry<String, String> e : DASHBOARDS.entrySet()) {
      Path file = OperationsKit.dashboards().resolve(e.getKey());
      assertThat(file).exists();
      assertThat(OperationsKit.json(file).path("title").asText()).isEqualTo(e.getValue());
    }
  }

  @TestFactory
  Stream<DynamicTest> everyDashboardIsAValidModel() {
    Set<String> uids = new HashSet<>();
    return dashboardFiles().stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
      JsonNode d = OperationsKit.json(file);
      assertThat(d.path("schemaVersion").asInt()).as("schemaVersion").isBetween(36, 41);
      assertThat(d.path("uid").asText()).as("uid").isNotBlank().hasSizeLessThanOrEqualTo(40);
      assertThat(uids.add(d.path("uid").asText())).as("uid %s is unique", d.path("uid").asText()).isTrue();
      assertThat(d.path("title").asText()).isNotBlank();

      Map<String, JsonNode> vars = new LinkedHashMap<>();
      d.path("templating").path("list").forEach(v -> vars.put(v.path("name").asText(), v));
      assertThat(vars).containsKeys("datasource", "service", "instance");
      assertThat(vars.get("datasource").path("type").asText()).isEqualTo("datasource");
      assertThat(vars.get("datasource").path("query").asText()).isEqualTo("prometheus");
      for (String name : List.of("service", "instance")) {
        JsonNode v = vars.get(name);
        assertThat(v.path("type").asText()).as(name).isEqualTo("query");
        assertThat(v.path("datasource").path("uid").asText()).as(name).isEqualTo(DATASOURCE_UID);
        assertThat(PromQl.labelValuesSelector(v.path("definition").asText())).as("%s uses label_values", name).isNotNull();
        assertThat(v.path("definition").asText()).as(name).endsWith(", " + name + ")");
      }

      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : panels(d)) {
        String title = panel.path("title").asText();
        assertThat(panel.path("id").isInt()).as("panel %s has an id", title).isTrue();
        assertThat(ids.add(panel.path("id").asInt())).as("panel id %s (%s) is unique", panel.path("id"), title).isTrue();
        JsonNode pos = panel.path("gridPos");
        assertThat(pos.path("x").asInt() + pos.path("w").asInt()).as("%s fits the 24-column grid", title).isLessThanOrEqualTo(24);
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(title).as("panel %s has a title", panel.path("id")).isNotBlank();
        assertThat(panel.path("datasource").path("uid").asText()).as("%s datasource", title).isEqualTo(DATASOURCE_UID);
        assertThat(panel.path("targets").size()).as("%s has queries", title).isPositive();
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("expr").asText()).as("%s %s expr", title, target.path("refId")).isNotBlank();
          assertThat(target.path("datasource").path("uid").asText()).as("%s target datasource", title).isEqualTo(DATASOURCE_UID);
        }
      }
      assertThat(ids).as("panels").hasSizeGreaterThan(5);
    }));
  }

  @TestFactory
  Stream<DynamicTest> promtoolAcceptsEveryPanelQuery(@TempDir Path dir) {
    return dashboardFiles().stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
      Map<String, String> exprs = expressions(OperationsKit.json(file));
      assertThat(exprs.values()).doesNotContain("");
      Tool.Result result = checkAsRules(dir, file.getFileName().toString(), exprs);
      assertThat(result.ok()).as("promtool check rules on the queries of %s:%n%s", file.getFileName(), result.output())
          .isTrue();
      assertThat(result.output()).contains("SUCCESS: " + exprs.size() + " rules found");
    }));
  }

  /** The wrapping above would be worthless if promtool accepted anything: a broken query fails. */
  @Test
  void promtoolRejectsABrokenPanelQuery(@TempDir Path dir) throws IOException {
    Tool.Result result = checkAsRules(dir, "broken", Map.of("panel 1 A", "sum by (le (rate(x_bucket[5m]))"));
    assertThat(result.exitCode()).as(result.output()).isNotZero();
  }

  /** Writes the expressions as recording rules and runs {@code promtool check rules} on them. */
  static Tool.Result checkAsRules(Path dir, String name, Map<String, String> exprs) throws IOException {
    ObjectNode root = OperationsKit.YAML.createObjectNode();
    ObjectNode group = root.putArray("groups").addObject();
    group.put("name", "queries of " + name);
    ArrayNode rules = group.putArray("rules");
    int i = 0;
    for (Map.Entry<String, String> e : exprs.entrySet()) {
      ObjectNode rule = rules.addObject();
      rule.put("record", "dashboard:query_" + (i++));
      rule.put("expr", PromQl.withoutGrafanaVariables(e.getValue()));
      rule.putObject("labels").put("origin", e.getKey());
    }
    Path file = dir.resolve(name.replace(".json", "") + ".queries.yml");
    Files.writeString(file, OperationsKit.YAML.writeValueAsString(root));
    return Tool.run(dir, "promtool", "check", "rules", file.toString());
  }
}
