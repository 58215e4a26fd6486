package dev.tributary.internal;

import dev.tributary.wire.EnvelopeCodec;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Encoders that callers' threads borrow to turn their own log records into bytes before the
 * records enter the buffer.
 *
 * <p>Why: the client has one I/O thread, and it owned both the JSON encoding and
 * {@code KafkaProducer.send}; encoding was about half of its time per record, so that one thread
 * capped log throughput at roughly half of what a bare producer reaches. Callers are many and each
 * record's encoding is independent, so encoding where the record is made spreads that work over
 * the application's threads and leaves the I/O thread with the send alone.
 *
 * <p>A fixed set of slots (twice the processors), each with its own reusable encoder: a caller
 * takes the slot its thread id points at, or the next one, with one compare-and-set; if both are
 * taken it does not wait, and the record is encoded by the I/O thread as before. So the caller's
 * cost is bounded by one encoding, no thread ever blocks on another, and the bytes are the same
 * whichever thread encodes (the same {@link EnvelopeCodec.Encoder}). Virtual threads share the
 * slots instead of each getting an encoder of its own.
 */
final class CallerEncoders {
  /** Ints between two slots' flags, so that neighbouring slots do not share a cache line. */
  private static final int STRIDE = 16;
  private final EnvelopeCodec.Encoder[] encoders;
  private final AtomicIntegerArray taken;
  private final Pipeline pipeline;

  CallerEncoders(int slots, Pipeline pipeline) {
    if (slots <= 0) {
      throw new IllegalArgumentException("slots must be positive");
    }
    this.encoders = new EnvelopeCodec.Encoder[slots];
    for (int i = 0; i < slots; i++) {
      encoders[i] = EnvelopeCodec.create().newEncoder();
    }
    this.taken = new AtomicIntegerArray(slots * STRIDE);
    this.pipeline = pipeline;
  }

  /** Slots for this machine: two per processor. */
  static CallerEncoders forProcessors(Pipeline pipeline) {
    return new CallerEncoders(2 * Runtime.getRuntime().availableProcessors(), pipeline);
  }

  /**
   * Encodes the item on the calling thread if a slot is free. Returns false, leaving the item as
   * it was for the I/O thread, when both slots it may use are taken or encoding failed (the I/O
   * thread then fails the same way and counts it).
   */
  boolean tryEncode(Outbound item) {
    int n = encoders.length;
    int first = (int) (Thread.currentThread().getId() % n);
    for (int k = 0; k < 2; k++) {
      int slot = (first + k) % n;
      if (taken.compareAndSet(slot * STRIDE, 0, 1)) {
        try {
          return item.preEncode(encoders[slot], pipeline);
        } finally {
          taken.set(slot * STRIDE, 0);
        }
      }
    }
    return false;
  }
}
