package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CorrelationTest {

  @Test
  void scopesNestAndRestoreTheOuterIdAndTheMdc() {
    assertThat(Correlation.currentId()).isNull();
    try (Correlation.Scope outer = Correlation.open("outer")) {
      assertThat(Correlation.currentId()).isEqualTo("outer");
      assertThat(MDC.get(Correlation.MDC_KEY)).isEqualTo("outer");
      try (Correlation.Scope inner = Correlation.openNew()) {
        assertThat(inner.id()).isNotBlank().isNotEqualTo("outer");
        assertThat(Correlation.currentId()).isEqualTo(inner.id());
        assertThat(MDC.get(Correlation.MDC_KEY)).isEqualTo(inner.id());
      }
      assertThat(Correlation.currentId()).isEqualTo("outer");
      assertThat(MDC.get(Correlation.MDC_KEY)).isEqualTo("outer");
    }
    assertThat(Correlation.currentId()).isNull();
    assertThat(MDC.get(Correlation.MDC_KEY)).isNull();
  }

  @Test
  void aBlankIdOpensAScopeWithAFreshId() {
    try (Correlation.Scope scope = Correlation.open("  ")) {
      assertThat(scope.id()).isNotBlank();
    }
  }

  @Test
  void closingTwiceRestoresOnlyOnce() {
    try (Correlation.Scope outer = Correlation.open("outer")) {
      Correlation.Scope inner = Correlation.open("inner");
      inner.close();
      inner.close();
      assertThat(Correlation.currentId()).isEqualTo("outer");
    }
  }

  @Test
  void theNoopClientAcceptsEverythingAndPublishesNothing() {
    Tributary noop = Tributary.noop();
    assertThat(noop.sendLog(LogLevel.INFO, "x")).isTrue();
    noop.counter("c").labelNames("a").build().labels("b").increment();
    assertThat(noop.stats().stream(StreamKind.LOGS).accepted()).isZero();
    assertThat(noop.shutdown(java.time.Duration.ZERO).isComplete()).isTrue();
  }
}
