package dev.tributary.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopicDurationTextTest {

    @Test
    void parsesEveryUnitAndPlainMilliseconds() {
        assertThat(DurationText.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationText.parse("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(DurationText.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(DurationText.parse("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("604800000")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationText.parse(" 2 h ")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThatThrownBy(() -> DurationText.parse("7 days")).hasMessage(
                "must be a duration such as 7d, 12h, 30m, 45s, 500ms or a number of milliseconds, got '7 days'");
        assertThatThrownBy(() -> DurationText.parse("-1")).hasMessageContaining("got '-1'");
        assertThatThrownBy(() -> DurationText.parse("99999999999999999999d")).hasMessageStartingWith("is too large");
        assertThatThrownBy(() -> DurationText.parse("9999999999999999d")).hasMessageStartingWith("is too large");
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertThat(DurationText.format(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(DurationText.format(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0ms");
    }
}
