package dev.tributary.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
  final Map<String, Long> gaps = new HashMap<>();
  final Map<String, Long> duplicates = new HashMap<>();
  final SequenceTracker tracker = SequenceTracker.create(64, 3, 60_000, new SequenceTracker.Listener() {
    @Override
    public void gaps(String service, long missing) {
      gaps.merge(service, missing, Long::sum);
    }

    @Override
    public void duplicates(String service, long count) {
      duplicates.merge(service, count, Long::sum);
    }
  });

  void see(long... seqs) {
    for (long s : seqs) {
      tracker.observe("pay", "pay-1", "run-a", "metrics", s, 0);
    }
  }

  @Test
  void inOrderSequenceHasNoGapsOrDuplicates() {
    for (long s = 1; s <= 1000; s++) {
      see(s);
    }
    assertThat(gaps).isEmpty();
    assertThat(duplicates).isEmpty();
  }

  @Test
  void outOfOrderArrivalWithinTheWindowIsNotAGap() {
    see(1, 2, 4, 5, 3);
    for (long s = 6; s <= 200; s++) {
      see(s);
    }
    assertThat(gaps).isEmpty();
  }

  @Test
  void missingNumberIsAGapOnceItLeavesTheWindow() {
    see(1, 2, 4);
    assertThat(gaps).isEmpty();
    for (long s = 5; s <= 66; s++) {
      see(s);
    }
    assertThat(gaps).isEmpty(); // 3 is still inside (66 - 64, 66]
    see(67);
    assertThat(gaps).containsEntry("pay", 1L);
  }

  @Test
  void bigJumpCountsEveryNumberSkipped() {
    see(1, 1001);
    for (long s = 1002; s <= 1100; s++) {
      see(s);
    }
    assertThat(gaps).containsEntry("pay", 999L);
  }

  @Test
  void repeatedNumberIsADuplicate() {
    see(1, 2, 3, 2, 3);
    assertThat(duplicates).containsEntry("pay", 2L);
    assertThat(gaps).isEmpty();
  }

  @Test
  void joiningMidStreamIsNotAGap() {
    see(5000, 5001, 5002);
    for (long s = 5003; s <= 6000; s++) {
      see(s);
    }
    assertThat(gaps).isEmpty();
  }

  @Test
  void newRunStartsAgainWithoutGaps() {
    see(1, 2, 3);
    tracker.observe("pay", "pay-1", "run-b", "metrics", 1, 0);
    tracker.observe("pay", "pay-1", "run-b", "metrics", 2, 0);
    assertThat(gaps).isEmpty();
    assertThat(duplicates).isEmpty();
  }

  @Test
  void idleRunIsEvictedAndItsTrailingGapsCounted() {
    see(1, 2, 5);
    assertThat(tracker.evictIdle(59_999)).isZero();
    assertThat(tracker.evictIdle(60_000)).isEqualTo(1);
    assertThat(gaps).containsEntry("pay", 2L);
    assertThat(tracker.size()).isZero();
  }

  @Test
  void runCapEvictsTheLeastRecentlySeenRun() {
    for (int i = 0; i < 5; i++) {
      tracker.observe("pay", "pay-" + i, "run", "metrics", 1, 0);
    }
    assertThat(tracker.size()).isEqualTo(3);
  }
}
