package dev.tributary;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of the client's counters, per stream. All counts are totals since the client was
 * built. For a stream, {@code accepted = sent + failed + dropped-after-accept + queued + in flight};
 * records refused at the call are in {@code dropped} (buffer full with DROP_NEWEST) or
 * {@code rejected} (invalid, rate-limited or closed) and never in {@code accepted}.
 */
public final class TributaryStats {
  private final Map<StreamKind, StreamStats> streams;
  private final long seriesRefused;
  private final long seriesActive;
  private final Map<StreamKind, Long> limited;
  private final Map<StreamKind, SpoolStats> spools;
  private final Map<String, CircuitStats> circuits;

  /** Creates a snapshot (used by implementations). */
  public TributaryStats(Map<StreamKind, StreamStats> streams, long seriesActive, long seriesRefused) {
    this(streams, seriesActive, seriesRefused, Map.of(), SpoolStats.DISABLED, Map.of());
  }

  /**
   * Creates a snapshot with the delivery details (used by implementations).
   *
   * @param limited per stream, records refused by the stream's rate limit
   * @param spool the event spool's counters
   * @param circuits per producer ({@code throughput}, {@code durable}), its circuit breaker
   */
  public TributaryStats(Map<StreamKind, StreamStats> streams, long seriesActive, long seriesRefused,
      Map<StreamKind, Long> limited, SpoolStats spool, Map<String, CircuitStats> circuits) {
    this(streams, seriesActive, seriesRefused, limited,
        spool == null ? Map.of() : Map.of(StreamKind.EVENTS, spool), circuits);
  }

  /**
   * Creates a snapshot with the delivery details and a spool per stream (used by implementations).
   *
   * @param limited per stream, records refused by the stream's rate limit
   * @param spools per stream, its spool's counters: the event spool, the logs spill spool
   * @param circuits per producer ({@code throughput}, {@code durable}), its circuit breaker
   */
  public TributaryStats(Map<StreamKind, StreamStats> streams, long seriesActive, long seriesRefused,
      Map<StreamKind, Long> limited, Map<StreamKind, SpoolStats> spools, Map<String, CircuitStats> circuits) {
    EnumMap<StreamKind, StreamStats> copy = new EnumMap<>(StreamKind.class);
    EnumMap<StreamKind, Long> limitedCopy = new EnumMap<>(StreamKind.class);
    for (StreamKind kind : StreamKind.values()) {
      copy.put(kind, streams.getOrDefault(kind, StreamStats.EMPTY));
      limitedCopy.put(kind, limited.getOrDefault(kind, 0L));
    }
    this.streams = copy;
    this.seriesActive = seriesActive;
    this.seriesRefused = seriesRefused;
    this.limited = limitedCopy;
    EnumMap<StreamKind, SpoolStats> spoolCopy = new EnumMap<>(StreamKind.class);
    for (StreamKind kind : StreamKind.values()) {
      SpoolStats s = spools.get(kind);
      spoolCopy.put(kind, s == null ? SpoolStats.DISABLED : s);
    }
    this.spools = spoolCopy;
    java.util.TreeMap<String, CircuitStats> circuitCopy = new java.util.TreeMap<>(circuits);
    for (String producer : PRODUCERS) {
      circuitCopy.putIfAbsent(producer, CircuitStats.CLOSED);
    }
    this.circuits = java.util.Collections.unmodifiableMap(circuitCopy);
  }

  /** The client's two producers: {@code throughput} (logs, metrics, health) and {@code durable} (events). */
  public static final java.util.List<String> PRODUCERS = java.util.List.of("throughput", "durable");

  /**
   * Records of a stream refused by its rate limit ({@code logs.rate.limit}, {@code events.rate.limit});
   * they are included in the stream's {@link StreamStats#rejected()}.
   */
  public long limited(StreamKind kind) {
    return limited.get(kind);
  }

  /** The event spool's counters; {@link SpoolStats#enabled()} is false without a spool directory. */
  public SpoolStats spool() {
    return spools.get(StreamKind.EVENTS);
  }

  /**
   * A stream's spool counters: the event spool ({@code events.spool.dir}) or the logs spill spool
   * ({@code logs.overflow=spill}); {@link SpoolStats#enabled()} is false for a stream without one.
   */
  public SpoolStats spool(StreamKind kind) {
    return spools.get(kind);
  }

  /** The circuit breaker of a producer: {@code throughput} or {@code durable}; see {@link #PRODUCERS}. */
  public CircuitStats circuit(String producer) {
    CircuitStats stats = circuits.get(producer);
    if (stats == null) {
      throw new IllegalArgumentException("unknown producer '" + producer + "', expected one of " + PRODUCERS);
    }
    return stats;
  }

  /** The counters of one stream. */
  public StreamStats stream(StreamKind kind) {
    return streams.get(kind);
  }

  /** Metric series currently held by the client's own instruments. */
  public long seriesActive() {
    return seriesActive;
  }

  /** Metric series refused because a per-metric or total series limit was reached. */
  public long seriesRefused() {
    return seriesRefused;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("TributaryStats{");
    for (Map.Entry<StreamKind, StreamStats> e : streams.entrySet()) {
      sb.append(e.getKey().label()).append('=').append(e.getValue()).append(", ");
    }
    sb.append("seriesActive=").append(seriesActive).append(", seriesRefused=").append(seriesRefused);
    spools.forEach((kind, spool) -> {
      if (spool.enabled() || spool.errors() > 0) {
        sb.append(", ").append(kind.label()).append(".spool=").append(spool);
      }
    });
    circuits.forEach((k, v) -> {
      if (v.state() != CircuitState.CLOSED || v.opened() > 0) {
        sb.append(", circuit.").append(k).append('=').append(v);
      }
    });
    return sb.append('}').toString();
  }

  /**
   * A spool's counters (all totals since the client was built, except {@code pending} and
   * {@code bytes}): the event spool's, or the logs spill spool's (records instead of events).
   *
   * @param enabled a spool directory is configured and usable (false after falling back to memory)
   * @param spooled events written to the spool (and forced, with {@code events.spool.fsync=always}):
   *     acknowledged to the spool
   * @param pending events in the spool not yet acknowledged by Kafka, this run's and replayed ones
   * @param bytes bytes in the spool's segment files
   * @param recovered events found in the spool at start, left by an earlier run, to replay
   * @param replayed of those, events Kafka acknowledged
   * @param dropped events the spool gave up: its overflow policy, a write failure, or unreadable
   * @param tornRecords torn or corrupt record tails truncated at start (or skipped), never replayed
   * @param errors times the spool directory could not be used (open, write, read, checkpoint)
   * @param recoveries times the spool was used again in the same run after it could not be
   */
  public record SpoolStats(boolean enabled, long spooled, long pending, long bytes, long recovered, long replayed,
      long dropped, long tornRecords, long errors, long recoveries) {
    static final SpoolStats DISABLED = new SpoolStats(false, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * A producer's circuit breaker.
   *
   * @param state closed, open or half-open
   * @param opened times the circuit opened (including re-opens after a failed probe)
   * @param consecutiveFailures failures since the last success
   */
  public record CircuitStats(CircuitState state, long opened, long consecutiveFailures) {
    static final CircuitStats CLOSED = new CircuitStats(CircuitState.CLOSED, 0, 0);
  }

  /**
   * One stream's counters.
   *
   * @param accepted records taken into the buffer
   * @param sent records acknowledged by Kafka
   * @param dropped records lost to the overflow policy (refused when full, or evicted), or left in
   *     the buffer when shutdown's grace period ran out
   * @param rejected records refused as invalid, rate-limited, oversized, or sent after close
   * @param failed records Kafka reported as failed
   * @param queued records waiting in the buffer now
   * @param truncated records whose message or stack trace was shortened to the configured limit
   */
  public record StreamStats(long accepted, long sent, long dropped, long rejected, long failed, long queued,
      long truncated) {
    static final StreamStats EMPTY = new StreamStats(0, 0, 0, 0, 0, 0, 0);
  }
}
