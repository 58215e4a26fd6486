package dev.tributary.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarConfigTest {
  static final ConfigKey<Duration> STALENESS = ConfigKey.duration("staleness.timeout", Duration.ofMinutes(5), "test");
  static final ConfigKey<Integer> MAX_SERIES = ConfigKey.integer("max.series", 1000, 1, 1_000_000, "test");

  static List<ConfigKey<?>> keys() {
    List<ConfigKey<?>> keys = new ArrayList<>(SidecarConfig.commonKeys());
    keys.remove(SidecarConfig.GROUP_ID);
    keys.add(SidecarConfig.GROUP_ID.withDefault("tributary-test"));
    keys.add(STALENESS);
    keys.add(MAX_SERIES);
    return keys;
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    SidecarConfig config = SidecarConfig.load(keys(), Map.of("PATH", "/bin"));
    assertThat(config.get(SidecarConfig.GROUP_ID)).isEqualTo("tributary-test");
    assertThat(config.get(SidecarConfig.HTTP_HOST)).isEqualTo("127.0.0.1");
    assertThat(config.get(STALENESS)).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.kafkaProperties()).isEmpty();
  }

  @Test
  void environmentVariablesMapOntoKeysAndKafkaProperties() {
    SidecarConfig config = SidecarConfig.load(keys(), Map.of(
        "TRIBUTARY_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
        "TRIBUTARY_STALENESS_TIMEOUT", "90s",
        "TRIBUTARY_MAX_SERIES", "42",
        "TRIBUTARY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
    assertThat(config.get(SidecarConfig.BOOTSTRAP_SERVERS)).isEqualTo("k1:9092,k2:9092");
    assertThat(config.get(STALENESS)).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.get(MAX_SERIES)).isEqualTo(42);
    assertThat(config.kafkaProperties()).containsExactlyEntriesOf(Map.of("security.protocol", "SASL_SSL"));
  }

  @Test
  void unknownEnvironmentKeyIsRejectedByName() {
    assertThatThrownBy(() -> SidecarConfig.load(keys(), Map.of("TRIBUTARY_STALENES_TIMEOUT", "5m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown configuration key: environment variable TRIBUTARY_STALENES_TIMEOUT (known: ")
        .hasMessageContaining("TRIBUTARY_STALENESS_TIMEOUT");
  }

  @Test
  void invalidValueNamesTheVariable() {
    assertThatThrownBy(() -> SidecarConfig.load(keys(), Map.of("TRIBUTARY_MAX_SERIES", "0")))
        .hasMessage("environment variable TRIBUTARY_MAX_SERIES: must be between 1 and 1000000, was 0");
    assertThatThrownBy(() -> SidecarConfig.load(keys(), Map.of("TRIBUTARY_STALENESS_TIMEOUT", "soon")))
        .hasMessageStartingWith("environment variable TRIBUTARY_STALENESS_TIMEOUT: ") // then sdk-core's Durations message
        .hasMessageContaining("'soon'");
  }

  @Test
  void propertiesFileFromArgumentIsOverriddenByEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sidecar.properties");
    Files.writeString(file, "tributary.http.port=9400\ntributary.max.series=7\ntributary.kafka.sasl.jaas.config=secret\n");
    SidecarConfig config = SidecarConfig.load(keys(), Map.of("TRIBUTARY_MAX_SERIES", "8"), "--config", file.toString());
    assertThat(config.get(SidecarConfig.HTTP_PORT)).isEqualTo(9400);
    assertThat(config.get(MAX_SERIES)).isEqualTo(8);
    assertThat(config.kafkaProperties()).containsEntry("sasl.jaas.config", "secret");
    assertThat(config.toString()).doesNotContain("secret").contains("kafka.sasl.jaas.config");
  }

  @Test
  void propertiesFileFromEnvironmentRejectsUnknownEntries(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sidecar.properties");
    Files.writeString(file, "max.series=7\n");
    assertThatThrownBy(() -> SidecarConfig.load(keys(), Map.of("TRIBUTARY_CONFIG_FILE", file.toString())))
        .hasMessageStartingWith("unknown configuration key: 'max.series' in " + file);
  }

  @Test
  void unknownArgumentIsRejected() {
    assertThatThrownBy(() -> SidecarConfig.load(keys(), Map.of(), "--verbose"))
        .hasMessage("unknown argument '--verbose' (usage: [--config FILE])");
  }

  @Test
  void requiredKeyWithoutDefaultMustBeSet() {
    assertThatThrownBy(() -> SidecarConfig.load(SidecarConfig.commonKeys(), Map.of()))
        .hasMessage("configuration key group.id (TRIBUTARY_GROUP_ID) is required");
  }
}
