package dev.tributary.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cases of sidecar-core's tracker (same window, run cap and idle timeout), plus what range sets add. */
class SequenceTrackerTest {
  final Map<String, Long> gaps = new HashMap<>();
  final Map<String, Long> duplicates = new HashMap<>();
  final Map<String, Long> late = new HashMap<>();
  final SequenceTracker.Listener listener = new SequenceTracker.Listener() {
    @Override
    public void gaps(String service, String stream, long missing) {
      gaps.merge(service + "/" + stream, missing, Long::sum);
    }

    @Override
    public void duplicates(String service, String stream, long count) {
      duplicates.merge(service + "/" + stream, count, Long::sum);
    }

    @Override
    public void late(String service, String stream, long count) {
      late.merge(service + "/" + stream, count, Long::sum);
    }
  };
  final SequenceTracker tracker = SequenceTracker.builder().window(64).maxRuns(3).idleTimeout(Duration.ofMinutes(1))
      .listener(listener).build();

  void see(long... seqs) {
    for (long s : seqs) {
      tracker.observe("pay", "pay-1", "run-a", "metrics", s, 0);
    }
  }

  void seeRange(long from, long to) {
    for (long s = from; s <= to; s++) {
      see(s);
    }
  }

  @Test
  void inOrderSequenceHasNoGapsOrDuplicates() {
    seeRange(1, 1000);
    tracker.finish();
    assertThat(gaps).isEmpty();
    assertThat(duplicates).isEmpty();
    assertThat(tracker.counts("pay", "metrics")).isEqualTo(new SequenceTracker.Counts(1000, 0, 0, 0));
  }

  @Test
  void outOfOrderArrivalWithinTheWindowIsNotAGap() {
    see(1, 2, 4, 5, 3);
    seeRange(6, 200);
    tracker.finish();
    assertThat(gaps).isEmpty();
  }

  @Test
  void missingNumberIsAGapOnceItLeavesTheWindow() {
    see(1, 2, 4);
    seeRange(5, 66);
    assertThat(gaps).isEmpty(); // 3 is still inside (66 - 64, 66]
    see(67);
    assertThat(gaps).containsEntry("pay/metrics", 1L);
  }

  @Test
  void bigJumpCountsEveryNumberSkipped() {
    see(1, 1001);
    seeRange(1002, 1100);
    assertThat(gaps).containsEntry("pay/metrics", 999L);
  }

  @Test
  void repeatedNumberIsADuplicate() {
    see(1, 2, 3, 2, 3);
    assertThat(duplicates).containsEntry("pay/metrics", 2L);
    assertThat(gaps).isEmpty();
  }

  @Test
  void aNumberRepeatedFarBelowTheWindowIsStillADuplicate() {
    seeRange(1, 10_000);
    see(17);
    assertThat(duplicates).containsEntry("pay/metrics", 1L);
    assertThat(gaps).isEmpty();
  }

  @Test
  void aNumberArrivingAfterItWasCountedMissingIsLateNotADuplicate() {
    see(1, 2);
    seeRange(4, 100);
    assertThat(gaps).containsEntry("pay/metrics", 1L);
    see(3);
    assertThat(late).containsEntry("pay/metrics", 1L);
    assertThat(duplicates).isEmpty();
    assertThat(tracker.counts("pay", "metrics").gaps()).isEqualTo(1);
  }

  @Test
  void joiningMidStreamIsNotAGap() {
    see(5000, 5001, 5002);
    seeRange(5003, 6000);
    tracker.finish();
    assertThat(gaps).isEmpty();
  }

  @Test
  void knowingThatRunsStartAtOneCountsTheBeginningAsMissing() {
    SequenceTracker fromStart = SequenceTracker.builder().runsStartAt(1).window(64).listener(listener).build();
    for (long s = 5; s <= 10; s++) {
      fromStart.observe("pay", "pay-1", "run-a", "payment.events", s, 0);
    }
    fromStart.observe("pay", "pay-1", "run-a", "payment.events", 2, 0);
    fromStart.finish();
    assertThat(gaps).containsEntry("pay/payment.events", 3L);
  }

  @Test
  void arrivalsFromSeveralPartitionsBelowTheFirstSeenAreNotDuplicates() {
    see(40, 41, 10, 11, 12);
    tracker.finish();
    assertThat(duplicates).isEmpty();
    assertThat(gaps).containsEntry("pay/metrics", 27L); // 13..39
  }

  @Test
  void newRunStartsAgainWithoutGaps() {
    see(1, 2, 3);
    tracker.observe("pay", "pay-1", "run-b", "metrics", 1, 0);
    tracker.observe("pay", "pay-1", "run-b", "metrics", 2, 0);
    tracker.finish();
    assertThat(gaps).isEmpty();
    assertThat(duplicates).isEmpty();
  }

  @Test
  void countsAreKeptPerServiceAndStream() {
    tracker.observe("pay", "pay-1", "run-a", "logs", 1, 0);
    tracker.observe("pay", "pay-1", "run-a", "logs", 3, 0);
    tracker.observe("pay", "pay-1", "run-a", "payment.events", 1, 0);
    tracker.observe("pay", "pay-1", "run-a", "payment.events", 1, 0);
    tracker.observe("ship", "ship-1", "run-x", "logs", 1, 0);
    tracker.finish();
    assertThat(tracker.counts("pay", "logs")).isEqualTo(new SequenceTracker.Counts(2, 1, 0, 0));
    assertThat(tracker.counts("pay", "payment.events")).isEqualTo(new SequenceTracker.Counts(2, 0, 1, 0));
    assertThat(tracker.counts("ship", "logs")).isEqualTo(new SequenceTracker.Counts(1, 0, 0, 0));
    assertThat(tracker.totals()).hasSize(3);
    assertThat(tracker.totalGaps()).isEqualTo(1);
    assertThat(tracker.totalDuplicates()).isEqualTo(1);
  }

  @Test
  void idleRunIsEvictedAndItsTrailingGapsCounted() {
    see(1, 2, 5);
    assertThat(tracker.evictIdle(59_999)).isZero();
    assertThat(tracker.evictIdle(60_000)).isEqualTo(1);
    assertThat(gaps).containsEntry("pay/metrics", 2L);
    assertThat(tracker.size()).isZero();
  }

  @Test
  void aRunSeenAgainAfterItsEvictionOrAClearIsANewRun() {
    see(1, 2, 3);
    tracker.evictIdle(60_000);
    see(10, 11); // the same strings as just before: the tracker must not reuse the evicted run
    assertThat(tracker.size()).isEqualTo(1);
    assertThat(tracker.counts("pay", "metrics")).isEqualTo(new SequenceTracker.Counts(5, 0, 0, 0));
    tracker.clear();
    see(11);
    assertThat(tracker.size()).isEqualTo(1);
    assertThat(duplicates).isEmpty(); // a fresh baseline, not the forgotten run's 11
    tracker.finish();
    see(11);
    assertThat(tracker.size()).isEqualTo(1);
  }

  @Test
  void runCapEvictsTheLeastRecentlySeenRun() {
    for (int i = 0; i < 5; i++) {
      tracker.observe("pay", "pay-" + i, "run", "metrics", 1, 0);
    }
    assertThat(tracker.size()).isEqualTo(3);
  }

  @Test
  void manyHolesKeepMemoryBoundedAndEveryMissingNumberIsCountedOnce() {
    SequenceTracker bounded = SequenceTracker.builder().window(1_000_000).maxRangesPerRun(8).listener(listener).build();
    for (long s = 1; s <= 1000; s += 2) { // every even number missing
      bounded.observe("pay", "pay-1", "run-a", "logs", s, 0);
    }
    bounded.finish();
    assertThat(gaps).containsEntry("pay/logs", 499L);
  }

  @Test
  void invalidSettingsAreRejectedByName() {
    assertThatThrownBy(() -> SequenceTracker.builder().window(0).build()).hasMessage("window must be positive, was 0");
    assertThatThrownBy(() -> SequenceTracker.builder().maxRangesPerRun(1).build())
        .hasMessage("maxRangesPerRun must be at least 2, was 1");
  }
}
