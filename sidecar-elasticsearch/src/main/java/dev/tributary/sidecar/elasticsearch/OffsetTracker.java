package dev.tributary.sidecar.elasticsearch;

import java.util.ArrayDeque;

/**
 * The offsets of one partition that are in the sidecar's hands, in the order they were read, and
 * the contiguous prefix of them that is done (indexed, or dead-lettered and acknowledged). Only
 * that prefix may be committed: a record done out of order (its bulk succeeded while an earlier
 * one is being retried) waits for the earlier one.
 *
 * <p>Not thread-safe; owned by the consume thread.
 */
final class OffsetTracker {
  /** One record's place in the partition; {@link #done()} marks it finished. */
  static final class Slot {
    final long offset;
    private boolean done;

    Slot(long offset) {
      this.offset = offset;
    }

    void done() {
      done = true;
    }

    boolean isDone() {
      return done;
    }
  }

  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private long next = -1; // the offset after the last one added
  private long lastReported = -1;

  /** Whether {@code offset} is new (not below what was already added, e.g. after a rewind). */
  boolean isNew(long offset) {
    return offset >= next;
  }

  /** Adds the next record's offset; offsets must increase (gaps from compaction or transactions are fine). */
  Slot add(long offset) {
    if (offset < next) {
      throw new IllegalArgumentException("offset " + offset + " is below " + next);
    }
    Slot s = new Slot(offset);
    slots.addLast(s);
    next = offset + 1;
    return s;
  }

  /**
   * The offset to commit (the first record not done, or the one after the last added), or -1 if
   * nothing was added yet.
   */
  long committable() {
    while (!slots.isEmpty() && slots.peekFirst().isDone()) {
      slots.pollFirst();
    }
    return slots.isEmpty() ? next : slots.peekFirst().offset;
  }

  /** {@link #committable()} if it moved since the last call that returned it, else -1. */
  long committableIfAdvanced() {
    long c = committable();
    if (c > lastReported) {
      lastReported = c;
      return c;
    }
    return -1;
  }

  /** Records added and not yet done (including ones done out of order behind an unfinished one). */
  int inFlight() {
    return slots.size();
  }
}
