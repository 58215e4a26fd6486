package dev.tributary.sidecar.prometheus;

import dev.tributary.sidecar.ConfigKey;
import dev.tributary.sidecar.SidecarConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The configuration keys of the Prometheus sidecar; see {@code docs/sidecar-prometheus.md}. */
public final class PrometheusSidecarKeys {
  /** Default consumer group: {@value}. */
  public static final String DEFAULT_GROUP_ID = "tributary-prometheus";
  /** Default HTTP port: {@value}. */
  public static final int DEFAULT_HTTP_PORT = 9400;

  /** The metrics topic. */
  public static final ConfigKey<String> METRICS_TOPIC =
      ConfigKey.string("metrics.topic", "metrics.events", "topic of metric envelopes");
  /** The health topic, co-partitioned with the metrics topic. */
  public static final ConfigKey<String> HEALTH_TOPIC =
      ConfigKey.string("health.topic", "health.events", "topic of heartbeats, co-partitioned with the metrics topic");
  /** Cap on all series held. */
  public static final ConfigKey<Integer> MAX_SERIES =
      ConfigKey.integer("max.series", 1_000_000, 1, Integer.MAX_VALUE, "cap on series held in total");
  /** Cap on the series of one metric name. */
  public static final ConfigKey<Integer> MAX_SERIES_PER_METRIC =
      ConfigKey.integer("max.series.per.metric", 50_000, 1, Integer.MAX_VALUE, "cap on series of one metric");
  /** A series without a new sample for this long is removed. */
  public static final ConfigKey<Duration> STALENESS_TIMEOUT =
      ConfigKey.duration("staleness.timeout", Duration.ofMinutes(5), "remove a series without samples for this long");
  /** How long the series of an instance that said DOWN stay exposed. */
  public static final ConfigKey<Duration> DOWN_GRACE =
      ConfigKey.duration("down.grace", Duration.ofMinutes(1), "keep a stopped instance's final values this long");
  /**
   * Series whose last record is kept to read the next by comparing bytes ({@code SeriesDecoder}):
   * about 0.45 KB each for a counter or gauge, 0.9 KB for a histogram of 10 buckets; 0 turns it off.
   */
  public static final ConfigKey<Integer> DECODE_TEMPLATES = ConfigKey.integer("decode.templates", 100_000, 0,
      Integer.MAX_VALUE, "series whose last record is kept to read their next one by comparing bytes; 0 = off");
  /** Heartbeat intervals an instance may miss before {@code tributary_up} is 0. */
  public static final ConfigKey<Integer> MISSED_HEARTBEATS =
      ConfigKey.integer("missed.heartbeats", 3, 1, 1000, "heartbeat intervals missed before tributary_up is 0");

  private PrometheusSidecarKeys() {}

  /** Every key the sidecar understands: the common ones with this sidecar's defaults, plus its own. */
  public static List<ConfigKey<?>> all() {
    List<ConfigKey<?>> keys = new ArrayList<>();
    for (ConfigKey<?> key : SidecarConfig.commonKeys()) {
      if (key.name().equals(SidecarConfig.GROUP_ID.name())) {
        keys.add(SidecarConfig.GROUP_ID.withDefault(DEFAULT_GROUP_ID));
      } else if (key.name().equals(SidecarConfig.HTTP_PORT.name())) {
        keys.add(SidecarConfig.HTTP_PORT.withDefault(DEFAULT_HTTP_PORT));
      } else {
        keys.add(key);
      }
    }
    keys.addAll(List.of(METRICS_TOPIC, HEALTH_TOPIC, MAX_SERIES, MAX_SERIES_PER_METRIC, STALENESS_TIMEOUT, DOWN_GRACE,
        MISSED_HEARTBEATS, DECODE_TEMPLATES));
    return keys;
  }
}
