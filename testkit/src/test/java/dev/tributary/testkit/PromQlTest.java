package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void takesMetricNamesAndLeavesFunctionsLabelsKeywordsAndDurationsOut() {
        assertThat(PromQl.metricNames("""
                sum by (status, le) (rate(payment_api_requests_total{service=~"$service", status=~"5.."}[5m] offset 1m))
                    / ignoring (status) group_left sum(rate(payment_api_requests_total[$__rate_interval])) > 0.05
                and on (instance) tributary_up == bool 1 or vector(0)"""))
                .containsExactlyInAnyOrder("payment_api_requests_total", "tributary_up");
        assertThat(PromQl.metricNames(
                "histogram_quantile(0.95, sum without (pod) (rate(payment_processing_seconds_bucket{job='x'}[5m]))) > 2"))
                .containsExactly("payment_processing_seconds_bucket");
        assertThat(PromQl.metricNames("label_values(tributary_up{service=\"a\"}, instance)"))
                .containsExactly("tributary_up");
        assertThat(PromQl.metricNames("{__name__=\"x\"} + 1e3 + Inf")).isEmpty();
        assertThat(PromQl.metricNames("count_over_time(ALERTS{alertstate=\"firing\"}[1h:5m])")).containsExactly("ALERTS");
    }

    @Test
    void resolvesHistogramAndSummarySuffixesToTheirFamily() {
        assertThat(PromQl.family("payment_processing_seconds_bucket")).isEqualTo("payment_processing_seconds");
        assertThat(PromQl.family("payment_amount_count")).isEqualTo("payment_amount");
        assertThat(PromQl.family("payment_amount_sum")).isEqualTo("payment_amount");
        assertThat(PromQl.family("tributary_up")).isEqualTo("tributary_up");
    }
}
