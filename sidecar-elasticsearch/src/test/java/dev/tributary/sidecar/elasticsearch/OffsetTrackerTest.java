package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  @Test
  void onlyTheContiguousDonePrefixIsCommittable() {
    OffsetTracker t = new OffsetTracker();
    assertThat(t.committable()).isEqualTo(-1);
    OffsetTracker.Slot a = t.add(10);
    OffsetTracker.Slot b = t.add(11);
    OffsetTracker.Slot c = t.add(14); // a gap (compaction, transaction markers) is fine
    assertThat(t.committable()).isEqualTo(10);
    c.done();
    assertThat(t.committable()).as("14 is done but 10 and 11 are not").isEqualTo(10);
    a.done();
    assertThat(t.committable()).isEqualTo(11);
    b.done();
    assertThat(t.committable()).isEqualTo(15);
    assertThat(t.inFlight()).isZero();
  }

  @Test
  void advancesAreReportedOnce() {
    OffsetTracker t = new OffsetTracker();
    OffsetTracker.Slot a = t.add(0);
    assertThat(t.committableIfAdvanced()).isEqualTo(0);
    assertThat(t.committableIfAdvanced()).isEqualTo(-1);
    a.done();
    assertThat(t.committableIfAdvanced()).isEqualTo(1);
    assertThat(t.committableIfAdvanced()).isEqualTo(-1);
  }

  @Test
  void offsetsAlreadyInHandAreNotNew() {
    OffsetTracker t = new OffsetTracker();
    t.add(5);
    t.add(6);
    assertThat(t.isNew(5)).isFalse();
    assertThat(t.isNew(6)).isFalse();
    assertThat(t.isNew(7)).isTrue();
  }
}
