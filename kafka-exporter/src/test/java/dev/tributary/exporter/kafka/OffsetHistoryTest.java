package dev.tributary.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetHistoryTest {
  private final OffsetHistory<String> history = new OffsetHistory<>(600_000);

  @Test
  void appendTimeIsInterpolatedBetweenTheEnclosingSamples() {
    history.record("p", 0, 100);
    history.record("p", 10_000, 200);
    history.record("p", 20_000, 200);
    history.record("p", 30_000, 300);

    assertThat(history.appendTime("p", 150)).isEqualTo(5_000);
    assertThat(history.appendTime("p", 100)).isEqualTo(0);
    assertThat(history.appendTime("p", 200)).as("appended after the idle stretch").isEqualTo(20_000);
    assertThat(history.appendTime("p", 250)).isEqualTo(25_000);
    assertThat(history.appendTime("p", 300)).as("not appended yet: the newest sample").isEqualTo(30_000);
  }

  @Test
  void olderThanTheHistoryIsExtrapolatedAtTheAverageRate() {
    history.record("p", 10_000, 100);
    history.record("p", 20_000, 200); // 10 records/s
    assertThat(history.appendTime("p", 50)).isEqualTo(5_000);
  }

  @Test
  void withoutGrowthTheOldestSampleIsALowerBound() {
    history.record("p", 10_000, 100);
    history.record("p", 20_000, 100);
    assertThat(history.appendTime("p", 40)).isEqualTo(10_000);
    assertThat(history.appendTime("unknown", 40)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void rateUsesTheNewestSampleAtLeastAWindowOld() {
    history.record("t", 0, 0);
    history.record("t", 60_000, 600);
    history.record("t", 120_000, 1800);
    assertThat(history.rate("t", 60_000)).isEqualTo(20.0);
    assertThat(history.rate("t", 300_000)).as("window longer than the history: from the oldest").isEqualTo(15.0);
    history.record("u", 0, 5);
    assertThat(history.rate("u", 60_000)).isNaN();
  }

  @Test
  void samplesOlderThanTheRetentionAndAnOffsetGoingBackAreDropped() {
    history.record("p", 0, 10);
    history.record("p", 700_000, 20);
    assertThat(history.rate("p", 1)).as("the sample at 0 is past the 10 min retention").isNaN();
    history.record("p", 710_000, 5); // topic re-created
    assertThat(history.rate("p", 1)).isNaN();
    assertThat(history.appendTime("p", 0)).isEqualTo(710_000);
    history.record("q", 0, 1);
    history.retainIf(k -> !k.equals("p"));
    assertThat(history.size()).isEqualTo(1);
    assertThat(history.appendTime("p", 0)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void samplesPerKeyAreCapped() {
    for (int i = 0; i < OffsetHistory.MAX_SAMPLES + 10; i++) {
      history.record("p", i, i);
    }
    assertThat(history.appendTime("p", 0)).as("the first ten samples were dropped; extrapolated at 1/ms")
        .isEqualTo(0);
    assertThat(history.rate("p", Long.MAX_VALUE / 2)).isEqualTo(1000.0);
  }
}
