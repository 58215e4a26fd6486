package dev.tributary.exporter.kafka;

import dev.tributary.sidecar.ConfigKey;
import dev.tributary.sidecar.SidecarConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The configuration keys of the Kafka exporter; see {@code docs/kafka-exporter.md}. */
public final class KafkaExporterKeys {
  /** Default port of {@code /metrics}, {@code /health}, {@code /ready}: {@value}. */
  public static final int DEFAULT_HTTP_PORT = 9404;
  /** Default port of the Alertmanager webhook: {@value}. */
  public static final int DEFAULT_WEBHOOK_PORT = 9405;
  /** Default time between two collection cycles: 30 s. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  /** Default bound on each admin call: 10 s. */
  public static final Duration DEFAULT_ADMIN_TIMEOUT = Duration.ofSeconds(10);
  /** Default cap on consumer groups described per cycle: {@value}. */
  public static final int DEFAULT_MAX_GROUPS_PER_CYCLE = 100;
  /** Default window of offset history kept per partition, for lag in seconds: 1 h. */
  public static final Duration DEFAULT_OFFSET_HISTORY = Duration.ofHours(1);
  /** Default window of the message rate: 5 min. */
  public static final Duration DEFAULT_RATE_WINDOW = Duration.ofMinutes(5);
  /** Default cap on a webhook request body: {@value} bytes. */
  public static final int DEFAULT_WEBHOOK_MAX_BYTES = 1024 * 1024;

  /** Time between the end of one cycle and the start of the next. */
  public static final ConfigKey<Duration> INTERVAL =
      ConfigKey.duration("interval", DEFAULT_INTERVAL, "time between the end of a collection cycle and the start of the next");
  /** Bound on every admin call. */
  public static final ConfigKey<Duration> ADMIN_TIMEOUT =
      ConfigKey.duration("admin.timeout", DEFAULT_ADMIN_TIMEOUT, "bound on each admin call of a cycle");
  /** Cap on the consumer groups described (and their offsets fetched) per cycle, round-robin. */
  public static final ConfigKey<Integer> MAX_GROUPS_PER_CYCLE = ConfigKey.integer("max.groups.per.cycle",
      DEFAULT_MAX_GROUPS_PER_CYCLE, 1, 100_000, "consumer groups described per cycle, round-robin across cycles");
  /** Topics to export, a regular expression. */
  public static final ConfigKey<String> TOPICS_PATTERN =
      ConfigKey.string("topics.pattern", ".*", "regular expression of the topics exported (internal topics never)");
  /** Consumer groups to export, a regular expression. */
  public static final ConfigKey<String> GROUPS_PATTERN =
      ConfigKey.string("groups.pattern", ".*", "regular expression of the consumer groups exported");
  /** How long log-end-offset samples are kept per partition. */
  public static final ConfigKey<Duration> OFFSET_HISTORY = ConfigKey.duration("offset.history",
      DEFAULT_OFFSET_HISTORY, "log-end-offset history kept per partition for lag in seconds");
  /** Window of the per-topic message rate. */
  public static final ConfigKey<Duration> RATE_WINDOW =
      ConfigKey.duration("rate.window", DEFAULT_RATE_WINDOW, "window of tributary_kafka_topic_messages_per_second");
  /** Webhook address. */
  public static final ConfigKey<String> WEBHOOK_HOST =
      ConfigKey.string("webhook.host", "127.0.0.1", "address of the Alertmanager webhook (POST /alerts)");
  /** Webhook port; 0 picks a free port. */
  public static final ConfigKey<Integer> WEBHOOK_PORT =
      ConfigKey.integer("webhook.port", DEFAULT_WEBHOOK_PORT, 0, 65535, "port of the Alertmanager webhook; 0 = a free port");
  /** Cap on a webhook body. */
  public static final ConfigKey<Integer> WEBHOOK_MAX_BYTES = ConfigKey.integer("webhook.max.bytes",
      DEFAULT_WEBHOOK_MAX_BYTES, 1024, 64 * 1024 * 1024, "largest webhook request body accepted, in bytes");
  /** The event domain alerts are published under: topic {@code <domain>.events}. */
  public static final ConfigKey<String> ALERTS_DOMAIN =
      ConfigKey.string("alerts.domain", "alerts", "event domain of published alerts (topic <domain>.events)");
  /** The service name the exporter's own Tributary client reports. */
  public static final ConfigKey<String> SERVICE_NAME =
      ConfigKey.string("service.name", "tributary-kafka-exporter", "service name of the alert envelopes");
  /** Spool directory of alert events; empty for memory only. */
  public static final ConfigKey<String> EVENTS_SPOOL_DIR = ConfigKey.string("events.spool.dir", "",
      "directory where alert events are spooled while Kafka is unreachable; empty = memory only");

  private KafkaExporterKeys() {}

  /** Every key the exporter understands: the common ones (without {@code group.id}) plus its own. */
  public static List<ConfigKey<?>> all() {
    List<ConfigKey<?>> keys = new ArrayList<>();
    for (ConfigKey<?> key : SidecarConfig.commonKeys()) {
      if (key.name().equals(SidecarConfig.HTTP_PORT.name())) {
        keys.add(SidecarConfig.HTTP_PORT.withDefault(DEFAULT_HTTP_PORT));
      } else if (!key.name().equals(SidecarConfig.GROUP_ID.name())) { // the exporter joins no group
        keys.add(key);
      }
    }
    keys.addAll(List.of(INTERVAL, ADMIN_TIMEOUT, MAX_GROUPS_PER_CYCLE, TOPICS_PATTERN, GROUPS_PATTERN, OFFSET_HISTORY,
        RATE_WINDOW, WEBHOOK_HOST, WEBHOOK_PORT, WEBHOOK_MAX_BYTES, ALERTS_DOMAIN, SERVICE_NAME, EVENTS_SPOOL_DIR));
    return keys;
  }
}
