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

  private static ClientConfig configFrom(Map<String, String> env, Properties system) {
    TributaryBuilder builder = Tributary.builder().bootstrapServers("k:1").serviceName("s");
    ConfigKeys.applyEnvironment(builder, env, system);
    return builder.config();
  }

  @Test
  void logsSpillIsConfiguredFromTheEnvironmentSystemPropertiesOrAFile(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    ClientConfig env = configFrom(Map.of("TRIBUTARY_LOGS_OVERFLOW", "spill",
        "TRIBUTARY_LOGS_SPOOL_DIR", "/var/spool/tributary-logs",
        "TRIBUTARY_LOGS_SPOOL_MAX_BYTES", "1048576",
        "TRIBUTARY_LOGS_SPOOL_OVERFLOW", "drop-newest"), new Properties());
    assertThat(env.logsOverflow()).isEqualTo(OverflowPolicy.SPILL);
    assertThat(env.delivery().logsSpoolDir()).isEqualTo(Path.of("/var/spool/tributary-logs"));
    assertThat(env.delivery().logsSpoolMaxBytes()).isEqualTo(1_048_576);
    assertThat(env.delivery().logsSpoolOverflow()).isEqualTo(SpoolOverflow.DROP_NEWEST);

    Properties system = new Properties();
    system.setProperty("tributary.logs.overflow", "spill");
    system.setProperty("tributary.logs.spool.dir", "/tmp/logs-spool");
    ClientConfig props = configFrom(Map.of(), system);
    assertThat(props.logsOverflow()).isEqualTo(OverflowPolicy.SPILL);
    assertThat(props.delivery().logsSpoolDir()).isEqualTo(Path.of("/tmp/logs-spool"));
    assertThat(props.delivery().logsSpoolMaxBytes()).as("default").isEqualTo(256L * 1024 * 1024);
    assertThat(props.delivery().logsSpoolOverflow()).as("default").isEqualTo(SpoolOverflow.DROP_OLDEST);

    Path file = java.nio.file.Files.writeString(dir.resolve("tributary.properties"),
        "tributary.logs.overflow=spill\ntributary.logs.spool.dir=/srv/logs-spool\n");
    ClientConfig fromFile = configFrom(Map.of("TRIBUTARY_CONFIG_FILE", file.toString()), new Properties());
    assertThat(fromFile.logsOverflow()).isEqualTo(OverflowPolicy.SPILL);
    assertThat(fromFile.delivery().logsSpoolDir()).isEqualTo(Path.of("/srv/logs-spool"));

    ClientConfig built = Tributary.builder().bootstrapServers("k:1").serviceName("s")
        .logsOverflow(OverflowPolicy.SPILL).logsSpoolDir(Path.of("/srv/logs")).config();
    assertThat(built.delivery().logsSpoolDir()).isEqualTo(Path.of("/srv/logs"));
    assertThat(configFrom(Map.of(), new Properties()).metricsOverflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
  }

  @Test
  void spillIsRefusedWhereItCannotWorkNamingTheKey() {
    assertThatThrownBy(() -> configFrom(Map.of("TRIBUTARY_LOGS_OVERFLOW", "spill"), new Properties()))
        .hasMessage("logsOverflow (logs.overflow) spill needs logsSpoolDir (logs.spool.dir), the directory spilled log"
            + " records are written to");
    assertThatThrownBy(() -> configFrom(Map.of("TRIBUTARY_EVENTS_OVERFLOW", "spill"), new Properties()))
        .hasMessageStartingWith("eventsOverflow (events.overflow) cannot be spill: events go through a spool whenever"
            + " events.spool.dir is set");
    assertThatThrownBy(() -> configFrom(Map.of("TRIBUTARY_METRICS_OVERFLOW", "spill"), new Properties()))
        .hasMessageStartingWith("metricsOverflow (metrics.overflow) cannot be spill: metrics are cumulative snapshots");
    assertThatThrownBy(() -> configFrom(Map.of("TRIBUTARY_LOGS_OVERFLOW", "spool"), new Properties()))
        .hasMessage("logs.overflow must be drop-newest, drop-oldest or spill, was 'spool'");
    assertThatThrownBy(() -> configFrom(Map.of("TRIBUTARY_LOGS_SPOOL_OVERFLOW", "block"), new Properties()))
        .hasMessage("logs.spool.overflow must be reject, drop-oldest or drop-newest, was 'block'");
    assertThatThrownBy(() -> configFrom(Map.of("TRIBUTARY_LOGS_SPOOL_MAX_BYTES", "1000"), new Properties()))
        .hasMessage("logsSpoolMaxBytes must be at least 65536, was 1000");
    assertThatThrownBy(() -> configFrom(Map.of("TRIBUTARY_LOGS_OVERFLOW", "spill", "TRIBUTARY_LOGS_SPOOL_DIR", "/srv/s",
        "TRIBUTARY_EVENTS_SPOOL_DIR", "/srv/s/"), new Properties()))
        .hasMessage("logsSpoolDir must not be eventsSpoolDir (/srv/s): each spool needs a directory of its own");
  }
}
