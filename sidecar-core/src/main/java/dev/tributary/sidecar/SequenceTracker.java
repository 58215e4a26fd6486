package dev.tributary.sidecar;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts gaps and duplicates in senders' sequence numbers.
 *
 * <p>Every envelope carries {@code (instance, run, stream, seq)} with {@code seq} counting 1, 2, 3…
 * per run and stream. For each {@code (instance, run, stream)} the tracker keeps the highest
 * sequence number seen and a window of the {@link #DEFAULT_WINDOW} numbers below it, one bit each,
 * so records that arrive a little out of order are not miscounted:
 * <ul>
 *   <li>a number seen twice within the window is a <b>duplicate</b> (redelivery, replay); a number
 *       older than the window is counted as a duplicate too (a replay from far behind);</li>
 *   <li>a number never seen by the time it leaves the window (or when the run is evicted as idle)
 *       is a <b>gap</b>: the SDK dropped it on overflow, or it was lost.</li>
 * </ul>
 * The first number seen of a run is the baseline: a tracker that starts mid-stream (a sidecar
 * restart, a rebalance) does not count the numbers before it as gaps.
 *
 * <p>Memory is bounded: runs idle for longer than the idle timeout are evicted by
 * {@link #evictIdle(long)}, and beyond {@code maxRuns} the least recently seen run is evicted.
 * Each tracked run costs about 250 bytes.
 *
 * <p>Not thread-safe: meant to be owned by one consume thread (one tracker per partition makes
 * dropping state on rebalance trivial). It may later move into sdk-core.
 */
public final class SequenceTracker {
  /** Sequence numbers remembered below the highest seen, per run and stream: {@value}. */
  public static final int DEFAULT_WINDOW = 1024;
  /** Runs tracked at most before the least recently seen is evicted: {@value}. */
  public static final int DEFAULT_MAX_RUNS = 100_000;

  /** Receives the counts, attributed to the sending service. */
  public interface Listener {
    /** {@code missing} sequence numbers of {@code service} never arrived. */
    void gaps(String service, long missing);

    /** {@code count} records of {@code service} arrived more than once. */
    void duplicates(String service, long count);
  }

  private final int window;
  private final int maxRuns;
  private final long idleMillis;
  private final Listener listener;
  private final LinkedHashMap<RunKey, RunState> runs = new LinkedHashMap<>(16, 0.75f, true);

  private SequenceTracker(int window, int maxRuns, long idleMillis, Listener listener) {
    if (window <= 0 || window % 64 != 0) {
      throw new IllegalArgumentException("window must be a positive multiple of 64, was " + window);
    }
    if (maxRuns <= 0) {
      throw new IllegalArgumentException("maxRuns must be positive, was " + maxRuns);
    }
    this.window = window;
    this.maxRuns = maxRuns;
    this.idleMillis = idleMillis;
    this.listener = listener;
  }

  /** A tracker with the default window and run cap. */
  public static SequenceTracker create(long idleTimeoutMillis, Listener listener) {
    return new SequenceTracker(DEFAULT_WINDOW, DEFAULT_MAX_RUNS, idleTimeoutMillis, listener);
  }

  /**
   * A tracker with an explicit window (a positive multiple of 64) and run cap.
   */
  public static SequenceTracker create(int window, int maxRuns, long idleTimeoutMillis, Listener listener) {
    return new SequenceTracker(window, maxRuns, idleTimeoutMillis, listener);
  }

  /**
   * Records one envelope's position.
   *
   * @param nowMillis the current time, for idle eviction
   * @return {@code true} if the number is new, {@code false} if it is a duplicate
   */
  public boolean observe(String service, String instance, String runId, String stream, long seq, long nowMillis) {
    RunKey key = new RunKey(instance, runId, stream);
    RunState state = runs.get(key);
    if (state == null) {
      state = new RunState(service, seq, window);
      runs.put(key, state);
      state.lastSeenMillis = nowMillis;
      if (runs.size() > maxRuns) {
        Iterator<RunState> eldest = runs.values().iterator();
        finish(eldest.next());
        eldest.remove();
      }
      return true;
    }
    state.lastSeenMillis = nowMillis;
    long missing = 0;
    boolean fresh;
    if (seq > state.high) {
      missing = state.advance(seq, window);
      fresh = true;
    } else if (seq <= state.high - window) {
      fresh = false; // older than the window: a replay from far behind
    } else {
      fresh = state.mark(seq, window);
    }
    if (missing > 0) {
      listener.gaps(state.service, missing);
    }
    if (!fresh) {
      listener.duplicates(state.service, 1);
    }
    return fresh;
  }

  /**
   * Evicts runs not seen for the idle timeout, counting the numbers still missing in their window
   * as gaps.
   *
   * @return the number of runs evicted
   */
  public int evictIdle(long nowMillis) {
    int evicted = 0;
    for (Iterator<RunState> it = runs.values().iterator(); it.hasNext(); ) {
      RunState state = it.next();
      if (nowMillis - state.lastSeenMillis >= idleMillis) {
        finish(state);
        it.remove();
        evicted++;
      }
    }
    return evicted;
  }

  /** Forgets every run without counting anything, e.g. when the partition is revoked. */
  public void clear() {
    runs.clear();
  }

  /** The number of runs tracked now. */
  public int size() {
    return runs.size();
  }

  private void finish(RunState state) {
    long missing = state.missingInWindow(window);
    if (missing > 0) {
      listener.gaps(state.service, missing);
    }
  }

  private record RunKey(String instance, String runId, String stream) {}

  /** Highest seq plus a ring of bits for (high - window, high]. */
  private static final class RunState {
    final String service;
    final long[] seen;
    long high;
    /** The lowest seq that can be missing: the baseline of a run we joined mid-stream. */
    final long floor;
    long lastSeenMillis;

    RunState(String service, long first, int window) {
      this.service = service;
      this.seen = new long[window / 64];
      this.high = first;
      this.floor = first;
      set(first, window);
    }

    /** Moves high to {@code seq}, counting numbers that leave the window unseen. */
    long advance(long seq, int window) {
      long missing = 0;
      long leaveTo = seq - window; // numbers <= leaveTo leave the window
      long oldLow = Math.max(high - window + 1, floor);
      for (long x = oldLow; x <= Math.min(high, leaveTo); x++) {
        if (!isSet(x, window)) {
          missing++;
        }
        clear(x, window);
      }
      if (leaveTo > high) {
        missing += leaveTo - high; // never even entered the window
      }
      // Numbers in (max(high, leaveTo), seq) enter unseen; their slots were cleared above or never set.
      for (long x = Math.max(high, leaveTo) + 1; x < seq; x++) {
        clear(x, window);
      }
      high = seq;
      set(seq, window);
      return missing;
    }

    /** Marks a number within the window; {@code false} if it was seen already. */
    boolean mark(long seq, int window) {
      if (seq < floor) {
        return false; // before the baseline: we cannot know, treat as a replay
      }
      if (isSet(seq, window)) {
        return false;
      }
      set(seq, window);
      return true;
    }

    long missingInWindow(int window) {
      long missing = 0;
      for (long x = Math.max(high - window + 1, floor); x < high; x++) {
        if (!isSet(x, window)) {
          missing++;
        }
      }
      return missing;
    }

    private boolean isSet(long seq, int window) {
      int slot = (int) Math.floorMod(seq, (long) window);
      return (seen[slot >>> 6] & (1L << slot)) != 0;
    }

    private void set(long seq, int window) {
      int slot = (int) Math.floorMod(seq, (long) window);
      seen[slot >>> 6] |= 1L << slot;
    }

    private void clear(long seq, int window) {
      int slot = (int) Math.floorMod(seq, (long) window);
      seen[slot >>> 6] &= ~(1L << slot);
    }
  }
}
