package dev.tributary.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.docs.OperationsKit.Alert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules of docs/operations/alerts: promtool accepts them, their promtool unit tests pass
 * (every *.test.yml of alerts/tests, whoever added it), every alert is tested firing and not
 * firing, and every alert has its annotations and a runbook.
 */
class AlertRulesTest {
  private static final String RUNBOOK_PATH = "/docs/operations/runbooks/";
  private static final List<String> RUNBOOK_SECTIONS =
      List.of("## Meaning", "## Impact", "## Diagnosis", "## Mitigation", "## Verification");

  @Test
  void promtoolAcceptsEveryRuleFile() {
    List<Path> files = OperationsKit.ruleFiles();
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("payment.rules.yml", "pipeline.rules.yml");
    List<String> cmd = new ArrayList<>(List.of("promtool", "check", "rules"));
    files.forEach(f -> cmd.add(f.toString()));
    Tool.Result result = Tool.run(OperationsKit.alerts(), cmd.toArray(String[]::new));
    assertThat(result.ok()).as("promtool check rules:%n%s", result.output()).isTrue();
  }

  @TestFactory
  Stream<DynamicTest> promtoolUnitTestsPass() {
    List<Path> tests = OperationsKit.ruleTestFiles();
    assertThat(tests).isNotEmpty();
    return tests.stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
      Tool.Result result = Tool.run(OperationsKit.alertTests(), "promtool", "test", "rules", file.toString());
      assertThat(result.ok()).as("promtool test rules %s:%n%s", file.getFileName(), result.output()).isTrue();
    }));
  }

  /** The runner above would be worthless if promtool passed anything: a wrong expectation fails. */
  @Test
  void aWrongExpectationFailsPromtool(@TempDir Path dir) throws IOException {
    Files.copy(OperationsKit.alerts().resolve("pipeline.rules.yml"), dir.resolve("pipeline.rules.yml"));
    Files.writeString(dir.resolve("wrong.test.yml"), """
        rule_files: [pipeline.rules.yml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'tributary_up{service="payment-service",instance="pay-1"}'
                values: '0x10'
            alert_rule_test:
              - eval_time: 10m
                alertname: ServiceDown
                exp_alerts: []
        """);
    Tool.Result result = Tool.run(dir, "promtool", "test", "rules", "wrong.test.yml");
    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(result.output()).contains("FAILED").contains("ServiceDown");
  }

  @Test
  void everyRuleFileHasAUnitTestFile() {
    for (Path rules : OperationsKit.ruleFiles()) {
      String group = rules.getFileName().toString().replace(".rules.yml", "");
      Path test = OperationsKit.alertTests().resolve(group + ".test.yml");
      assertThat(test).as("unit tests of %s", rules.getFileName()).exists();
      assertThat(OperationsKit.yaml(test).path("rule_files").toString())
          .as("%s loads its rule file", test.getFileName()).contains(rules.getFileName().toString());
    }
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() {
    for (Path rules : OperationsKit.ruleFiles()) {
      String group = rules.getFileName().toString().replace(".rules.yml", "");
      Path test = OperationsKit.alertTests().resolve(group + ".test.yml");
      Set<String> firing = new HashSet<>();
      Set<String> quiet = new HashSet<>();
      for (JsonNode t : OperationsKit.yaml(test).path("tests")) {
        for (JsonNode check : t.path("alert_rule_test")) {
          String name = check.path("alertname").asText();
          (check.path("exp_alerts").isEmpty() ? quiet : firing).add(name);
        }
      }
      for (Alert alert : OperationsKit.alertsOf(rules)) {
        assertThat(firing).as("%s has a firing case in %s", alert.name(), test.getFileName()).contains(alert.name());
        assertThat(quiet).as("%s has a not-firing case in %s", alert.name(), test.getFileName()).contains(alert.name());
      }
    }
  }

  @Test
  void alertNamesAreUnique() {
    List<String> names = OperationsKit.allAlerts().stream().map(Alert::name).toList();
    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void everyAlertHasSeveritySummaryDescriptionAndRunbook() throws IOException {
    List<Alert> alerts = OperationsKit.allAlerts();
    assertThat(alerts).isNotEmpty();
    for (Alert alert : alerts) {
      String name = alert.name();
      assertThat(alert.label("severity")).as("%s severity", name).isIn("critical", "warning", "info");
      assertThat(alert.annotation("summary")).as("%s summary", name).isNotBlank();
      assertThat(alert.annotation("description")).as("%s description", name).isNotBlank();
      assertThat(alert.annotation("runbook_url")).as("%s runbook_url", name).endsWith(RUNBOOK_PATH + name + ".md");
      Path runbook = OperationsKit.runbooks().resolve(name + ".md");
      assertThat(runbook).as("runbook of %s", name).exists();
      String text = Files.readString(runbook);
      assertThat(text).as("%s starts with its title", runbook.getFileName()).startsWith("# " + name);
      for (String section : RUNBOOK_SECTIONS) {
        assertThat(text).as("%s has a section %s", runbook.getFileName(), section).contains("\n" + section + "\n");
      }
    }
  }

  @Test
  void everyRunbookBelongsToAnAlert() {
    Set<String> alerts = new TreeSet<>(OperationsKit.allAlerts().stream().map(Alert::name).toList());
    for (Path runbook : OperationsKit.files(OperationsKit.runbooks(), ".md")) {
      String name = runbook.getFileName().toString().replace(".md", "");
      if (!name.equals("README")) {
        assertThat(alerts).as("alert of runbook %s", runbook.getFileName()).contains(name);
      }
    }
  }
}
