package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IndexNamingTest {
  private final IndexNaming daily = new IndexNaming("logs-", "events-", "yyyy.MM.dd", false, "default");

  @Test
  void indicesAreDatedInUtcByTheEnvelopeTimestampNotTheWallClock() {
    long lateOnNewYearsEve = Instant.parse("2025-12-31T23:59:59.999Z").toEpochMilli();
    long newYear = Instant.parse("2026-01-01T00:00:00.000Z").toEpochMilli();
    assertThat(daily.logs("checkout", lateOnNewYearsEve)).isEqualTo("logs-checkout-2025.12.31");
    assertThat(daily.logs("checkout", newYear)).isEqualTo("logs-checkout-2026.01.01");
    assertThat(daily.events("payment", newYear)).isEqualTo("events-payment-2026.01.01");
    assertThat(daily.logs("checkout", Instant.parse("1969-12-31T23:00:00Z").toEpochMilli()))
        .isEqualTo("logs-checkout-1969.12.31");
  }

  @Test
  void theRememberedTargetIsOnlyReusedForTheSameKindNameAndHour() {
    long t = Instant.parse("2026-11-23T10:59:59.999Z").toEpochMilli();
    assertThat(daily.logs("checkout", t)).isEqualTo("logs-checkout-2026.11.23");
    assertThat(daily.logs("checkout", t)).isEqualTo("logs-checkout-2026.11.23");
    assertThat(daily.events("checkout", t)).isEqualTo("events-checkout-2026.11.23");
    assertThat(daily.logs(new String("checkout"), t)).isEqualTo("logs-checkout-2026.11.23");
    assertThat(daily.logs("billing", t)).isEqualTo("logs-billing-2026.11.23");
    long nextDay = Instant.parse("2026-11-24T00:00:00.000Z").toEpochMilli();
    assertThat(daily.logs("billing", nextDay)).isEqualTo("logs-billing-2026.11.24");
    assertThat(daily.logs("billing", t)).isEqualTo("logs-billing-2026.11.23");
  }

  @Test
  void namesAreSanitisedToValidLowerCaseIndexNames() {
    assertThat(IndexNaming.sanitize("Checkout API")).isEqualTo("checkout_api");
    assertThat(IndexNaming.sanitize("_-.Billing/v2:*?\"<>|,#")).isEqualTo("billing_v2_________");
    assertThat(IndexNaming.sanitize("")).isEqualTo("unknown");
    assertThat(IndexNaming.sanitize("___")).isEqualTo("unknown");
    assertThat(IndexNaming.sanitize("Ünïcode")).isEqualTo("n_code");
    assertThat(IndexNaming.sanitize("x".repeat(500))).hasSize(IndexNaming.MAX_NAME_CHARS);
    assertThat(daily.logs("Order Service", 0)).isEqualTo("logs-order_service-1970.01.01");
  }

  @Test
  void templatePatternsCoverOurIndicesButNotAgentStyleDataStreams() {
    assertThat(daily.logsTemplatePattern()).isEqualTo("logs-*-*.*.*");
    assertThat(daily.eventsTemplatePattern()).isEqualTo("events-*-*.*.*");
    IndexNaming monthly = new IndexNaming("tributary-logs-", "tributary-events-", "yyyy-MM", false, "default");
    assertThat(monthly.logsTemplatePattern()).isEqualTo("tributary-logs-*-*-*");
    assertThat(monthly.logs("a", 0)).isEqualTo("tributary-logs-a-1970-01");
  }

  @Test
  void dataStreamModeNamesAreStablePerServiceWithANamespace() {
    IndexNaming ds = new IndexNaming("logs-", "events-", "yyyy.MM.dd", true, "prod");
    assertThat(ds.logs("Checkout", 0)).isEqualTo("logs-checkout-prod");
    assertThat(ds.logs("Checkout", Instant.parse("2030-05-05T00:00:00Z").toEpochMilli())).isEqualTo("logs-checkout-prod");
    assertThat(ds.events("payment", 0)).isEqualTo("events-payment-prod");
    assertThat(ds.logsTemplatePattern()).isEqualTo("logs-*-prod");
  }

  @Test
  void prefixesMustBeValidIndexNameStarts() {
    assertThatThrownBy(() -> IndexNaming.checkPrefix("Logs-", "TRIBUTARY_ELASTICSEARCH_LOGS_PREFIX"))
        .hasMessageContaining("TRIBUTARY_ELASTICSEARCH_LOGS_PREFIX");
    assertThatThrownBy(() -> IndexNaming.checkPrefix("_logs", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(IndexNaming.checkPrefix("app.logs-", "x")).isEqualTo("app.logs-");
  }
}
