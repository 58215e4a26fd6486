package com.example.payments.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

  @Test
  void takesMetricNamesAndLeavesFunctionsLabelsKeywordsAndDurationsOut() {
    assertThat(PromQlNames.metricNames("""
        sum by (status, le) (rate(payment_api_requests_total{service=~"$service", status=~"5.."}[5m] offset 1m))
          / ignoring (status) group_left sum(rate(payment_api_requests_total[$__rate_interval])) > 0.05
        and on (instance) tributary_up == bool 1 or vector(0)"""))
        .containsExactlyInAnyOrder("payment_api_requests_total", "tributary_up");
    assertThat(PromQlNames.metricNames(
        "histogram_quantile(0.95, sum without (pod) (rate(payment_processing_seconds_bucket{job='x'}[5m]))) > 2"))
        .containsExactly("payment_processing_seconds_bucket");
    assertThat(PromQlNames.metricNames("label_values(tributary_up{service=\"a\"}, instance)"))
        .containsExactly("tributary_up");
    assertThat(PromQlNames.metricNames("{__name__=\"x\"} + 1e3 + Inf")).isEmpty();
    assertThat(PromQlNames.metricNames("count_over_time(ALERTS{alertstate=\"firing\"}[1h:5m])")).containsExactly("ALERTS");
  }

  @Test
  void resolvesHistogramAndSummarySuffixesToTheirFamily() {
    assertThat(PromQlNames.family("payment_processing_seconds_bucket")).isEqualTo("payment_processing_seconds");
    assertThat(PromQlNames.family("payment_amount_count")).isEqualTo("payment_amount");
    assertThat(PromQlNames.family("payment_amount_sum")).isEqualTo("payment_amount");
    assertThat(PromQlNames.family("tributary_up")).isEqualTo("tributary_up");
  }
}
