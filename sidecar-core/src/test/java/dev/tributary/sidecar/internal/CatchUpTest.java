package dev.tributary.sidecar.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Readiness against a {@link MockConsumer}'s positions and end offsets. */
class CatchUpTest {
  static final TopicPartition P0 = new TopicPartition("metrics.events", 0);
  static final TopicPartition P1 = new TopicPartition("metrics.events", 1);
  static final TopicPartition P2 = new TopicPartition("metrics.events", 2);

  final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  final CatchUp catchUp = new CatchUp();

  void assign(List<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
    consumer.assign(partitions);
    consumer.updateEndOffsets(ends);
    partitions.forEach(tp -> consumer.seek(tp, 0));
    catchUp.assigned(partitions);
  }

  @Test
  void readyOnceCaughtUpToTheEndOffsetsSeenAtStartAndStaysReadyAsTheTopicGrows() {
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).as("nothing assigned yet").isFalse();
    assign(List.of(P0, P1), Map.of(P0, 10L, P1, 5L));
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).isFalse();

    consumer.updateEndOffsets(Map.of(P0, 50L, P1, 50L)); // written after start: not a target
    consumer.seek(P0, 10);
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).as("P1 still behind").isFalse();
    consumer.seek(P1, 5);
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).isTrue();
  }

  @Test
  void partitionsThatArriveBeforeCatchingUpAreTargetsToo() {
    assign(List.of(P0), Map.of(P0, 10L));
    catchUp.check(consumer);
    catchUp.revoked(List.of(P0));
    assign(List.of(P1), Map.of(P1, 7L));
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).as("P1 is behind its end offset").isFalse();
    consumer.seek(P1, 7);
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).isTrue();
  }

  @Test
  void anOrderlyRebalanceKeepsAReadyMemberReady() {
    assign(List.of(P0), Map.of(P0, 0L));
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).isTrue();
    catchUp.revoked(List.of(P0));
    assign(List.of(P1, P2), Map.of(P1, 100L, P2, 100L));
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).isTrue();
    catchUp.revoked(List.of(P1, P2));
    consumer.assign(List.of());
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).as("a member left with no partitions has nothing to catch up on").isTrue();
  }

  @Test
  void lostPartitionsMakeTheMemberUnreadyUntilItCaughtUpOnItsNextAssignment() {
    assign(List.of(P0), Map.of(P0, 3L));
    consumer.seek(P0, 3);
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).isTrue();

    catchUp.lost(List.of(P0));
    consumer.assign(List.of());
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).as("out of the group, not yet assigned again").isFalse();

    assign(List.of(P0, P1), Map.of(P0, 20L, P1, 4L));
    consumer.seek(P0, 3);
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).isFalse();
    consumer.seek(P0, 20);
    consumer.seek(P1, 4);
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).isTrue();
  }

  @Test
  void aMemberWithNothingAssignedIsReady() {
    catchUp.assigned(List.of());
    catchUp.check(consumer);
    assertThat(catchUp.isReady()).isTrue();
  }
}
