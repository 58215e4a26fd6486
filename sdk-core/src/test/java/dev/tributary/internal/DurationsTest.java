package dev.tributary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesEveryUnitAndIso8601() {
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(Durations.parse("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse(" 2 h ")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void aPlainNumberIsMillisecondsOnlyWhereKafkasConventionApplies() {
    assertThat(Durations.parseMillisByDefault("604800000")).isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> Durations.parse("30"))
        .hasMessage("must be a duration such as 7d, 12h, 30m, 45s, 500ms, got '30'");
  }

  @Test
  void rejectsWhatIsNotADuration() {
    assertThatThrownBy(() -> Durations.parseMillisByDefault("7 days")).hasMessage(
        "must be a duration such as 7d, 12h, 30m, 45s, 500ms or a number of milliseconds, got '7 days'");
    assertThatThrownBy(() -> Durations.parseMillisByDefault("-1")).hasMessageContaining("got '-1'");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999d")).hasMessageStartingWith("is too large");
    assertThatThrownBy(() -> Durations.parse("9999999999999999d")).hasMessageStartingWith("is too large");
  }

  @Test
  void formatsWithTheLargestExactUnit() {
    assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(Durations.format(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
  }
}
