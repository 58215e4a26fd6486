package dev.tributary;

import java.util.EnumMap;
import java.util.Map;

/**
 * The outcome of {@link Tributary#flush} or {@link Tributary#shutdown}: whether everything
 * accepted was acknowledged in time, and per stream how many records were still undelivered.
 */
public final class DeliveryReport {
  private final Map<StreamKind, Long> undelivered;

  /** Creates a report (used by implementations). */
  public DeliveryReport(Map<StreamKind, Long> undelivered) {
    EnumMap<StreamKind, Long> copy = new EnumMap<>(StreamKind.class);
    for (StreamKind kind : StreamKind.values()) {
      copy.put(kind, Math.max(0L, undelivered.getOrDefault(kind, 0L)));
    }
    this.undelivered = copy;
  }

  /** A report with nothing undelivered. */
  public static DeliveryReport complete() {
    return new DeliveryReport(Map.of());
  }

  /** {@code true} if every record in scope was delivered (acknowledged by Kafka). */
  public boolean isComplete() {
    return totalUndelivered() == 0;
  }

  /** Records of a stream that were not delivered: still buffered, in flight, failed, or dropped at shutdown. */
  public long undelivered(StreamKind kind) {
    return undelivered.get(kind);
  }

  /** The sum over all streams. */
  public long totalUndelivered() {
    long total = 0;
    for (long n : undelivered.values()) {
      total += n;
    }
    return total;
  }

  @Override
  public String toString() {
    if (isComplete()) {
      return "DeliveryReport{complete}";
    }
    StringBuilder sb = new StringBuilder("DeliveryReport{undelivered: ");
    undelivered.forEach((k, v) -> {
      if (v > 0) {
        sb.append(k.label()).append('=').append(v).append(' ');
      }
    });
    return sb.append('}').toString();
  }
}
