package dev.tributary.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void formatsLikeIsoInstantWithMillisecondsForAnyDate() {
    SplittableRandom random = new SplittableRandom(42);
    long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    for (int i = 0; i < 200_000; i++) {
      long millis = random.nextLong(0, max);
      String expected = Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.MILLIS).toString();
      if (expected.length() == 20) { // Instant.toString omits zero fractions
        expected = expected.substring(0, 19) + ".000Z";
      } else if (expected.length() < 24) {
        expected = expected.substring(0, expected.length() - 1) + "0".repeat(24 - expected.length()) + "Z";
      }
      assertThat(Timestamps.format(millis)).isEqualTo(expected);
      assertThat(Timestamps.parse(expected)).isEqualTo(millis);
    }
  }

  @Test
  void handlesTheEpochAndLeapDays() {
    assertThat(Timestamps.format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(Timestamps.format(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli()))
        .isEqualTo("2024-02-29T23:59:59.999Z");
    assertThat(Timestamps.format(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
  }

  @Test
  void parsesOtherOffsetsAndPrecisions() {
    assertThat(Timestamps.parse("2026-11-23T10:15:30Z")).isEqualTo(Instant.parse("2026-11-23T10:15:30Z").toEpochMilli());
    assertThat(Timestamps.parse("2026-11-23T12:15:30.5+02:00"))
        .isEqualTo(Instant.parse("2026-11-23T10:15:30.500Z").toEpochMilli());
  }

  @Test
  void rejectsWhatIsNotATimestamp() {
    assertThatThrownBy(() -> Timestamps.parse("2026-13-45T99:00:00.000Z")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timestamps.parse("tomorrow")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timestamps.parse("2026-02-31T10:15:30.123Z")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timestamps.parse("2026-02-29T10:15:30.123Z")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Timestamps.parse("2028-02-29T10:15:30.123Z")).isEqualTo(Instant.parse("2028-02-29T10:15:30.123Z").toEpochMilli());
  }
}
