package dev.tributary.sidecar;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a sidecar does with the records its {@link ConsumeLoop} polls. All methods are called on the
 * loop's single consume thread, so an implementation needs no locking for state it only touches
 * there.
 */
public interface RecordHandler {

  /**
   * Processes one polled batch and says which offsets are safe to commit: those whose records the
   * output has accepted (or that were dead-lettered). Called after every poll, also with an empty
   * batch, so a handler can flush on time.
   *
   * <p>If this throws, the loop counts it, seeks back to the batch's first offsets and retries after
   * a back-off: nothing is committed past unprocessed records. Per-record problems should be
   * dead-lettered instead of thrown.
   *
   * @param records the batch, possibly empty
   * @param control pause/resume for back-pressure, the current assignment
   * @return offsets to commit (next offset to read per partition); empty to commit nothing
   */
  Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records, ConsumerControl control)
      throws Exception;

  /**
   * Partitions became ours (after a rebalance). Called before records of them are handled.
   */
  default void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

  /**
   * Partitions became ours; this variant may also reposition them through {@code control} (e.g.
   * {@link ConsumerControl#rewindTo}). The default calls {@link #onPartitionsAssigned(Collection)}.
   */
  default void onPartitionsAssigned(Collection<TopicPartition> partitions, ConsumerControl control) {
    onPartitionsAssigned(partitions);
  }

  /**
   * Partitions are being taken away in an orderly rebalance or at shutdown. The loop commits the
   * offsets last returned by {@link #handle} for them right after this returns, so a handler that
   * buffers must flush here and drop the partitions' state.
   */
  default void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

  /**
   * Partitions were lost without an orderly revoke (session timeout); nothing can be committed for
   * them. Defaults to {@link #onPartitionsRevoked}.
   */
  default void onPartitionsLost(Collection<TopicPartition> partitions) {
    onPartitionsRevoked(partitions);
  }

  /** Offsets just past the last record of each partition of {@code records}: "all of it is done". */
  static Map<TopicPartition, OffsetAndMetadata> processedThrough(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
      offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
    }
    return offsets;
  }
}
