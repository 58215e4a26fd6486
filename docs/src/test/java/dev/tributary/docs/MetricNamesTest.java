package dev.tributary.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tributary.docs.OperationsKit.Alert;
import dev.tributary.testkit.PromQl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric that the payment and pipeline rules and the dashboards query is one the code
 * documents: the sidecars' and the SDK's self-metrics in docs/*.md, the payment service's in
 * examples/payment-service/METRICS.md. (The payment example's end-to-end test checks the same names
 * against the live demo endpoints.)
 */
class MetricNamesTest {
  private static final List<String> PIPELINE_DOCS =
      List.of("sidecar-core.md", "sidecar-prometheus.md", "sidecar-elasticsearch.md", "sdk-core.md");
  private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_max", "_created");
  private static final Pattern BACKTICKED_NAME = Pattern.compile("`([a-z_:][a-z0-9_:]*)(?:\\{[^`]*})?`");

  @Test
  void parsesMetricNamesOutOfPromQl() {
    assertThat(PromQl.metricNames("sum by (service, le) (rate(a_bucket{status=~\"5..\",x=\"by (y)\"}[5m])) "
        + "/ on(service) group_left(instance) b_total offset 10m > 0.05 unless c or vector(0)"))
        .containsExactly("a_bucket", "b_total", "c");
    assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket[$__rate_interval]))) > 2e3"))
        .containsExactly("x_seconds_bucket");
  }

  @Test
  void payAndPipelineRulesAndDashboardsNameOnlyDocumentedMetrics() throws IOException {
    Set<String> documented = documentedNames();
    Map<String, String> used = usedNames();
    assertThat(used).isNotEmpty();
    boolean paymentDocs = Files.exists(paymentMetricsDoc());
    for (Map.Entry<String, String> e : used.entrySet()) {
      String name = e.getKey();
      if (!paymentDocs && name.startsWith("payment")) {
        continue;   // checked once examples/payment-service/METRICS.md exists (see the next test)
      }
      assertThat(documented.contains(name) || documented.contains(base(name)))
          .as("%s (used in %s) is documented in docs/%s or examples/payment-service/METRICS.md", name, e.getValue(),
              PIPELINE_DOCS)
          .isTrue();
    }
  }

  @Test
  void paymentMetricsAreListedInTheExamplesMetricsFile() throws IOException {
    assumeTrue(Files.isDirectory(OperationsKit.root().resolve("examples/payment-service")),
        "examples/payment-service is not there yet");
    assertThat(paymentMetricsDoc()).exists();
    Set<String> documented = namesIn(paymentMetricsDoc());
    for (Map.Entry<String, String> e : usedNames().entrySet()) {
      if (e.getKey().startsWith("payment")) {
        assertThat(documented.contains(e.getKey()) || documented.contains(base(e.getKey())))
            .as("%s (used in %s) is listed in examples/payment-service/METRICS.md", e.getKey(), e.getValue()).isTrue();
      }
    }
  }

  /** Metric name → the first file that uses it. */
  static Map<String, String> usedNames() {
    Map<String, String> used = new TreeMap<>();
    for (String group : List.of("payment", "pipeline")) {
      for (Alert alert : OperationsKit.alertsOf(OperationsKit.alerts().resolve(group + ".rules.yml"))) {
        PromQl.metricNames(alert.expr()).forEach(n -> used.putIfAbsent(n, group + ".rules.yml " + alert.name()));
      }
    }
    for (Path file : DashboardsTest.dashboardFiles()) {
      DashboardsTest.expressions(OperationsKit.json(file)).forEach((where, expr) ->
          PromQl.metricNames(PromQl.withoutGrafanaVariables(expr))
              .forEach(n -> used.putIfAbsent(n, file.getFileName() + " " + where)));
    }
    return used;
  }

  private static Set<String> documentedNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String doc : PIPELINE_DOCS) {
      names.addAll(namesIn(OperationsKit.docs().resolve(doc)));
    }
    if (Files.exists(paymentMetricsDoc())) {
      names.addAll(namesIn(paymentMetricsDoc()));
    }
    return names;
  }

  private static Path paymentMetricsDoc() {
    return OperationsKit.root().resolve("examples/payment-service/METRICS.md");
  }

  /** Names written in backticks, with or without labels: `tributary_up`, `tributary_up{service,instance}`. */
  private static Set<String> namesIn(Path doc) throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = BACKTICKED_NAME.matcher(Files.readString(doc));
    while (m.find()) {
      names.add(m.group(1));
      names.add(base(m.group(1)));
    }
    return names;
  }

  private static String base(String name) {
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
