package dev.tributary.sidecar.elasticsearch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** One document waiting for, or being retried in, a bulk request. Consume thread only. */
final class BulkItem {
  final ConsumerRecord<byte[], byte[]> record;
  final TopicPartition partition;
  final OffsetTracker.Slot slot;
  final String kind; // "logs" or "events": a metrics label
  final String index;
  final String id;
  final byte[] action; // the action line, with its newline
  final byte[] source; // the document, one line, without newline
  int attempts;
  long notBefore; // System.nanoTime() before which it is not retried

  BulkItem(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, OffsetTracker.Slot slot, String kind,
      String index, String id, byte[] action, byte[] source) {
    this.record = record;
    this.partition = partition;
    this.slot = slot;
    this.kind = kind;
    this.index = index;
    this.id = id;
    this.action = action;
    this.source = source;
  }

  /** Bytes this item adds to a bulk body. */
  int size() {
    return action.length + source.length + 1;
  }
}
