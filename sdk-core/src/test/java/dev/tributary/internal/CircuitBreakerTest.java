package dev.tributary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.CircuitState;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  static final long OPEN = 5_000_000_000L;
  final CircuitBreaker breaker = new CircuitBreaker("durable", 3, OPEN);

  @Test
  void opensAfterTheThresholdOfConsecutiveFailures() {
    breaker.onFailure(0, "x");
    breaker.onFailure(0, "x");
    breaker.onSuccess(); // not consecutive any more
    breaker.onFailure(0, "x");
    breaker.onFailure(0, "x");
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    breaker.onFailure(10, "x");
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.allow(10 + OPEN - 1)).isFalse();
    assertThat(breaker.readyAtNanos(10)).isEqualTo(10 + OPEN);
    assertThat(breaker.opened()).isEqualTo(1);
  }

  @Test
  void afterTheOpenDurationOneProbeGoesAndItsSuccessCloses() {
    open();
    assertThat(breaker.allow(OPEN)).isTrue();
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    breaker.sent(OPEN);
    assertThat(breaker.allow(OPEN + 1)).as("one probe at a time").isFalse();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.allow(OPEN + 2)).isTrue();
  }

  @Test
  void aFailedProbeReopens() {
    open();
    breaker.allow(OPEN);
    breaker.sent(OPEN);
    breaker.onFailure(OPEN + 5, "still down");
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.allow(OPEN + 6)).isFalse();
    assertThat(breaker.opened()).isEqualTo(2);
  }

  @Test
  void aProbeWithoutAnAnswerWithinTheOpenDurationReopens() {
    open();
    breaker.allow(OPEN);
    breaker.sent(OPEN);
    assertThat(breaker.allow(2 * OPEN)).isFalse();
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure(0, "x");
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }
}
