package dev.tributary.accounting;

import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Counts gaps and duplicates in Tributary senders' sequence numbers, per service and stream.
 *
 * <p>Every envelope carries {@code (instance, run, stream, seq)}: {@code seq} counts 1, 2, 3 … per
 * process run and stream, so the four identify a record end to end. Feed every envelope a consumer
 * reads to {@link #observe}; for each {@code (instance, run, stream)} the tracker keeps the numbers
 * seen as a set of ranges (a handful of longs when they arrive roughly in order) and reports:
 * <ul>
 *   <li>a <b>duplicate</b> when a number arrives again (Kafka redelivery, a producer retry, a replay
 *       of the SDK's event spool after a crash);</li>
 *   <li>a <b>gap</b> for a number that never arrived: the sender dropped it (overflow, shutdown) or it
 *       was lost. Records arrive out of order across partitions and threads, so a number counts as
 *       missing only once a number {@code window} higher of the same run has been seen, or when the
 *       run is finished ({@link #finish()}) or evicted as idle ({@link #evictIdle});</li>
 *   <li>a <b>late</b> arrival for a number that had already been counted as a gap (the gap stays
 *       counted: it was missing for longer than the window).</li>
 * </ul>
 *
 * <p>Where a run starts: with {@link Builder#runsStartAt(long)} (Tributary's runs start at 1) every
 * number from there on is expected, which is right for a consumer that reads a topic from its
 * beginning. Without it, the first number seen of a run is the baseline, so a consumer that joins
 * mid-stream (a restart, a rebalance) does not count the numbers before it; a number up to a window
 * below the baseline lowers it, one further below is counted as a duplicate (a replay from far behind).
 *
 * <p>Memory is bounded: runs not seen for the idle timeout are evicted by {@link #evictIdle(long)},
 * beyond {@code maxRuns} the least recently seen run is evicted, and a run keeps at most
 * {@code maxRangesPerRun} ranges (holes already counted as gaps are merged away first, so a late
 * arrival in such a hole then counts as a duplicate). Evicting a run counts its missing numbers.
 *
 * <p>Not thread-safe: meant to be owned by one consuming thread (one tracker per partition makes
 * dropping state on a rebalance trivial: {@link #clear()}).
 */
public final class SequenceTracker {
  /** Default tolerance for out-of-order arrival, in sequence numbers: {@value}. */
  public static final int DEFAULT_WINDOW = 1024;
  /** Default number of runs tracked before the least recently seen is evicted: {@value}. */
  public static final int DEFAULT_MAX_RUNS = 100_000;
  /** Default number of ranges a run keeps: {@value}. */
  public static final int DEFAULT_MAX_RANGES_PER_RUN = 256;
  /** Default idle timeout: 10 minutes. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** Receives counts as they are decided, attributed to the sending service and the stream. */
  public interface Listener {
    /** {@code missing} sequence numbers of {@code service}'s {@code stream} never arrived. */
    void gaps(String service, String stream, long missing);

    /** {@code count} records of {@code service}'s {@code stream} arrived more than once. */
    void duplicates(String service, String stream, long count);

    /** {@code count} records arrived after they had been counted as gaps. */
    default void late(String service, String stream, long count) {}
  }

  /**
   * Totals for one service and stream.
   *
   * @param received records observed, duplicates included
   * @param gaps sequence numbers counted as missing
   * @param duplicates records observed more than once
   * @param late records that arrived after being counted as missing
   */
  public record Counts(long received, long gaps, long duplicates, long late) {}

  /** A service's stream, the key of {@link #totals()}. */
  public record StreamKey(String service, String stream) implements Comparable<StreamKey> {
    @Override
    public int compareTo(StreamKey o) {
      int c = service.compareTo(o.service);
      return c != 0 ? c : stream.compareTo(o.stream);
    }
  }

  private final int window;
  private final int maxRuns;
  private final int maxRanges;
  private final long idleMillis;
  private final long runsStartAt;
  private final Listener listener;
  private final LinkedHashMap<RunKey, Run> runs = new LinkedHashMap<>(16, 0.75f, true);
  private final TreeMap<StreamKey, long[]> totals = new TreeMap<>();
  // The last run observed and its totals, matched by identity: a consumer sees a sender's records in
  // runs (a step's series, a batch of logs), and the strings of consecutive records of one sender are
  // the same objects when the decoder shares them. Forgotten whenever a run is removed.
  private String lastService;
  private String lastInstance;
  private String lastRun;
  private String lastStream;
  private long[] lastTotal;
  private Run lastState;

  private SequenceTracker(Builder b) {
    this.window = b.window;
    this.maxRuns = b.maxRuns;
    this.maxRanges = b.maxRangesPerRun;
    this.idleMillis = b.idleTimeout.toMillis();
    this.runsStartAt = b.runsStartAt;
    this.listener = b.listener;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A tracker with the defaults, reporting to {@code listener}. */
  public static SequenceTracker create(Listener listener) {
    return builder().listener(listener).build();
  }

  /**
   * Records one envelope's identity.
   *
   * @param nowMillis the current time, for idle eviction
   * @return {@code false} if it is a duplicate
   */
  public boolean observe(String service, String instance, String run, String stream, long seq, long nowMillis) {
    long[] total;
    Run state;
    if (lastState != null && service == lastService && instance == lastInstance && run == lastRun
        && stream == lastStream) {
      total = lastTotal; // and the run is the most recently used already
      state = lastState;
    } else {
      total = totals.computeIfAbsent(new StreamKey(service, stream), k -> new long[4]);
      state = runs.get(new RunKey(instance, run, stream));
      lastService = service;
      lastInstance = instance;
      lastRun = run;
      lastStream = stream;
      lastTotal = total;
      lastState = state;
    }
    total[0]++;
    if (state == null) {
      state = new Run(service, stream, total, runsStartAt > 0 ? Math.min(runsStartAt, seq) : seq);
      runs.put(new RunKey(instance, run, stream), state);
      lastState = state;
      state.lastSeenMillis = nowMillis;
      state.seen.add(seq);
      state.high = seq;
      settle(state, seq - window);
      if (runs.size() > maxRuns) {
        Iterator<Run> eldest = runs.values().iterator();
        Run evicted = eldest.next();
        eldest.remove();
        lastState = null;
        finish(evicted);
      }
      return true;
    }
    state.lastSeenMillis = nowMillis;
    if (seq < state.floor) {
      if (runsStartAt > 0 || seq < state.floor - window) {
        duplicate(state); // before the run's start, or a replay from far behind the baseline
        return false;
      }
      state.floor = seq;
      state.countedUpTo = Math.min(state.countedUpTo, seq - 1);
    }
    if (!state.seen.add(seq)) {
      duplicate(state);
      return false;
    }
    if (seq <= state.countedUpTo) {
      state.total[3]++;
      listener.late(state.service, state.stream, 1);
    }
    if (seq > state.high) {
      state.high = seq;
      settle(state, seq - window);
    }
    compact(state);
    return true;
  }

  /**
   * Counts every number still missing below the highest seen of every run as a gap, and forgets the
   * runs: call it when the input is complete (a test's end, a consumer's shutdown).
   */
  public void finish() {
    lastState = null;
    for (Iterator<Run> it = runs.values().iterator(); it.hasNext(); ) {
      Run run = it.next();
      it.remove();
      finish(run);
    }
  }

  /**
   * Evicts runs not seen for the idle timeout, counting their missing numbers as gaps.
   *
   * @return the number of runs evicted
   */
  public int evictIdle(long nowMillis) {
    lastState = null;
    int evicted = 0;
    for (Iterator<Run> it = runs.values().iterator(); it.hasNext(); ) {
      Run run = it.next();
      if (nowMillis - run.lastSeenMillis >= idleMillis) {
        it.remove();
        finish(run);
        evicted++;
      }
    }
    return evicted;
  }

  /** Forgets every run without counting anything (a partition was revoked); totals stay. */
  public void clear() {
    lastState = null;
    runs.clear();
  }

  /** The number of runs tracked now. */
  public int size() {
    return runs.size();
  }

  /** The totals of one service's stream (zeros if never seen). */
  public Counts counts(String service, String stream) {
    long[] t = totals.get(new StreamKey(service, stream));
    return t == null ? new Counts(0, 0, 0, 0) : new Counts(t[0], t[1], t[2], t[3]);
  }

  /** The totals of every service's stream seen, sorted. */
  public Map<StreamKey, Counts> totals() {
    Map<StreamKey, Counts> copy = new TreeMap<>();
    totals.forEach((k, t) -> copy.put(k, new Counts(t[0], t[1], t[2], t[3])));
    return Collections.unmodifiableMap(copy);
  }

  /** The sum of gaps over every service and stream. */
  public long totalGaps() {
    long n = 0;
    for (long[] t : totals.values()) {
      n += t[1];
    }
    return n;
  }

  /** The sum of duplicates over every service and stream. */
  public long totalDuplicates() {
    long n = 0;
    for (long[] t : totals.values()) {
      n += t[2];
    }
    return n;
  }

  private void duplicate(Run run) {
    run.total[2]++;
    listener.duplicates(run.service, run.stream, 1);
  }

  /** Counts the numbers missing in {@code (countedUpTo, boundary]} as gaps. */
  private void settle(Run run, long boundary) {
    if (boundary <= run.countedUpTo) {
      return;
    }
    long from = Math.max(run.countedUpTo + 1, run.floor);
    long missing = from > boundary ? 0 : (boundary - from + 1) - run.seen.countIn(from, boundary);
    run.countedUpTo = boundary;
    if (missing > 0) {
      run.total[1] += missing;
      listener.gaps(run.service, run.stream, missing);
    }
  }

  private void finish(Run run) {
    settle(run, run.high);
  }

  /** Keeps a run's ranges bounded: merge holes already counted; if there are none, count the lowest now. */
  private void compact(Run run) {
    while (run.seen.ranges() > maxRanges) {
      if (run.seen.secondLow() - 1 > run.countedUpTo) {
        settle(run, run.seen.secondLow() - 1);
      }
      run.seen.mergeFirstTwo();
    }
  }

  private record RunKey(String instance, String run, String stream) {}

  private static final class Run {
    final String service;
    final String stream;
    final long[] total;
    final RangeSet seen = new RangeSet();
    long floor;
    long high;
    /** Every number at or below this has been judged (seen, or counted as a gap). */
    long countedUpTo;
    long lastSeenMillis;

    Run(String service, String stream, long[] total, long floor) {
      this.service = service;
      this.stream = stream;
      this.total = total;
      this.floor = floor;
      this.countedUpTo = floor - 1;
    }
  }

  /** Configures a {@link SequenceTracker}. */
  public static final class Builder {
    private int window = DEFAULT_WINDOW;
    private int maxRuns = DEFAULT_MAX_RUNS;
    private int maxRangesPerRun = DEFAULT_MAX_RANGES_PER_RUN;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private long runsStartAt;
    private Listener listener = new Listener() {
      @Override
      public void gaps(String service, String stream, long missing) {}

      @Override
      public void duplicates(String service, String stream, long count) {}
    };

    private Builder() {}

    /** Out-of-order tolerance in sequence numbers (positive); default {@value #DEFAULT_WINDOW}. */
    public Builder window(int window) {
      this.window = window;
      return this;
    }

    /** Runs tracked at most; default {@value #DEFAULT_MAX_RUNS}. */
    public Builder maxRuns(int maxRuns) {
      this.maxRuns = maxRuns;
      return this;
    }

    /** Ranges a run keeps at most (at least 2); default {@value #DEFAULT_MAX_RANGES_PER_RUN}. */
    public Builder maxRangesPerRun(int maxRanges) {
      this.maxRangesPerRun = maxRanges;
      return this;
    }

    /** A run not seen for this long is evicted by {@link #evictIdle}; default 10 minutes. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * Every run's first sequence number (Tributary's is 1), for a consumer that reads topics from
     * their beginning: numbers before the first one seen then count as missing. Default: unknown
     * (the first number seen is the baseline).
     */
    public Builder runsStartAt(long firstSeq) {
      this.runsStartAt = firstSeq;
      return this;
    }

    /** Receives counts as they are decided (they are also kept in {@link #totals()}). */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public SequenceTracker build() {
      if (window <= 0) {
        throw new IllegalArgumentException("window must be positive, was " + window);
      }
      if (maxRuns <= 0) {
        throw new IllegalArgumentException("maxRuns must be positive, was " + maxRuns);
      }
      if (maxRangesPerRun < 2) {
        throw new IllegalArgumentException("maxRangesPerRun must be at least 2, was " + maxRangesPerRun);
      }
      if (idleTimeout == null || idleTimeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must not be negative, was " + idleTimeout);
      }
      if (runsStartAt < 0) {
        throw new IllegalArgumentException("runsStartAt must not be negative, was " + runsStartAt);
      }
      return new SequenceTracker(this);
    }
  }
}
