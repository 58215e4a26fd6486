package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.internal.ClientConfig;
import dev.tributary.internal.ConfigKeys;
import dev.tributary.internal.DeliverySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DeliveryConfigurationTest {

  private static DeliverySettings fromEnv(Map<String, String> env) {
    TributaryBuilder builder = Tributary.builder().bootstrapServers("k:1").serviceName("s");
    ConfigKeys.applyEnvironment(builder, env, new Properties());
    return builder.config().delivery();
  }

  @Test
  void defaultsAreNoSpoolBreakerAfterFiveFailuresAndLogsLimitedToTenThousandPerSecond() {
    DeliverySettings d = fromEnv(Map.of());
    assertThat(d.eventsSpoolDir()).isNull();
    assertThat(d.eventsSpoolFsync()).isEqualTo(SpoolFsync.INTERVAL);
    assertThat(d.eventsSpoolFsyncInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(d.eventsSpoolMaxBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(d.eventsSpoolOverflow()).isEqualTo(SpoolOverflow.REJECT);
    assertThat(d.circuitFailureThreshold()).isEqualTo(5);
    assertThat(d.circuitOpenDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.logsRateLimit()).isEqualTo(10_000);
    assertThat(d.logsRateBurst()).isEqualTo(20_000);
    assertThat(d.eventsRateLimit()).isZero();
  }

  @Test
  void everyKeyMapsOntoItsSetting() {
    DeliverySettings d = fromEnv(Map.ofEntries(
        Map.entry("TRIBUTARY_EVENTS_SPOOL_DIR", "/var/spool/tributary"),
        Map.entry("TRIBUTARY_EVENTS_SPOOL_FSYNC", "always"),
        Map.entry("TRIBUTARY_EVENTS_SPOOL_FSYNC_INTERVAL", "250ms"),
        Map.entry("TRIBUTARY_EVENTS_SPOOL_MAX_BYTES", "1048576"),
        Map.entry("TRIBUTARY_EVENTS_SPOOL_OVERFLOW", "drop-oldest"),
        Map.entry("TRIBUTARY_CIRCUIT_FAILURE_THRESHOLD", "3"),
        Map.entry("TRIBUTARY_CIRCUIT_OPEN_DURATION", "10s"),
        Map.entry("TRIBUTARY_LOGS_RATE_LIMIT", "500"),
        Map.entry("TRIBUTARY_EVENTS_RATE_LIMIT", "100"),
        Map.entry("TRIBUTARY_EVENTS_RATE_BURST", "150")));
    assertThat(d.eventsSpoolDir()).isEqualTo(Path.of("/var/spool/tributary"));
    assertThat(d.eventsSpoolFsync()).isEqualTo(SpoolFsync.ALWAYS);
    assertThat(d.eventsSpoolFsyncInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(d.eventsSpoolMaxBytes()).isEqualTo(1_048_576);
    assertThat(d.eventsSpoolOverflow()).isEqualTo(SpoolOverflow.DROP_OLDEST);
    assertThat(d.circuitFailureThreshold()).isEqualTo(3);
    assertThat(d.circuitOpenDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.logsRateLimit()).isEqualTo(500);
    assertThat(d.logsRateBurst()).as("twice a changed limit").isEqualTo(1_000);
    assertThat(d.eventsRateLimit()).isEqualTo(100);
    assertThat(d.eventsRateBurst()).isEqualTo(150);
  }

  @Test
  void invalidValuesFailAtConfigurationNamingTheSetting() {
    assertThatThrownBy(() -> fromEnv(Map.of("TRIBUTARY_EVENTS_SPOOL_FSYNC", "sometimes")))
        .hasMessage("events.spool.fsync must be always, interval or never, was 'sometimes'");
    assertThatThrownBy(() -> fromEnv(Map.of("TRIBUTARY_EVENTS_SPOOL_OVERFLOW", "block")))
        .hasMessage("events.spool.overflow must be reject, drop-oldest or drop-newest, was 'block'");
    assertThatThrownBy(() -> fromEnv(Map.of("TRIBUTARY_EVENTS_SPOOL_MAX_BYTES", "1000")))
        .hasMessage("eventsSpoolMaxBytes must be at least 65536, was 1000");
    assertThatThrownBy(() -> fromEnv(Map.of("TRIBUTARY_CIRCUIT_FAILURE_THRESHOLD", "0")))
        .hasMessage("circuitFailureThreshold must be positive, was 0");
    assertThatThrownBy(() -> fromEnv(Map.of("TRIBUTARY_LOGS_RATE_LIMIT", "-1")))
        .hasMessageContaining("logsRateLimit must be between 0 (no limit)");
    ClientConfig ok = Tributary.builder().bootstrapServers("k:1").serviceName("s").logsRateLimit(0).config();
    assertThat(ok.delivery().logsRateLimit()).isZero();
  }
}
