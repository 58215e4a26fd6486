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

  /** Creates a snapshot (used by implementations). */
  public TributaryStats(Map<StreamKind, StreamStats> streams, long seriesActive, long seriesRefused) {
    EnumMap<StreamKind, StreamStats> copy = new EnumMap<>(StreamKind.class);
    for (StreamKind kind : StreamKind.values()) {
      copy.put(kind, streams.getOrDefault(kind, StreamStats.EMPTY));
    }
    this.streams = copy;
    this.seriesActive = seriesActive;
    this.seriesRefused = seriesRefused;
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
    return sb.append("seriesActive=").append(seriesActive).append(", seriesRefused=").append(seriesRefused)
        .append('}').toString();
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
