package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.internal.ClientConfig;
import dev.tributary.internal.ConfigKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {

  private static ClientConfig fromEnv(Map<String, String> env, Properties system) {
    TributaryBuilder builder = Tributary.builder();
    ConfigKeys.applyEnvironment(builder, env, system);
    return builder.config();
  }

  @Test
  void environmentVariablesMapOntoEverySetting() {
    ClientConfig c = fromEnv(Map.of(
        "TRIBUTARY_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092",
        "TRIBUTARY_SERVICE_NAME", "payments",
        "TRIBUTARY_INSTANCE_ID", "payments-0",
        "TRIBUTARY_METRICS_STEP", "30s",
        "TRIBUTARY_LOGS_OVERFLOW", "drop-oldest",
        "TRIBUTARY_LOGS_KEY", "instance",
        "TRIBUTARY_LOGS_BUFFER_CAPACITY", "1234",
        "TRIBUTARY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "TRIBUTARY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "PATH", "/usr/bin"), new Properties());
    assertThat(c.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
    assertThat(c.serviceName()).isEqualTo("payments");
    assertThat(c.instanceId()).isEqualTo("payments-0");
    assertThat(c.metricsStep()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.logsOverflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
    assertThat(c.logsKeyedByInstance()).isTrue();
    assertThat(c.logsBufferCapacity()).isEqualTo(1234);
    assertThat(c.producerProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
  }

  @Test
  void anUnknownKeyIsRejectedByName() {
    assertThatThrownBy(() -> fromEnv(Map.of("TRIBUTARY_SERVICE_NAM", "typo"), new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown Tributary configuration key 'TRIBUTARY_SERVICE_NAM'");
    Properties system = new Properties();
    system.setProperty("tributary.metrics.stepp", "10s");
    assertThatThrownBy(() -> fromEnv(Map.of(), system))
        .hasMessageContaining("unknown Tributary configuration key 'tributary.metrics.stepp'");
  }

  @Test
  void systemPropertiesOverrideTheEnvironmentWhichOverridesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tributary.properties");
    Files.writeString(file, "tributary.bootstrap.servers=from-file:9092\ntributary.service.name=from-file\n"
        + "tributary.environment=from-file\nunrelated.key=ignored\n");
    Properties system = new Properties();
    system.setProperty("tributary.service.name", "from-system");
    ClientConfig c = fromEnv(Map.of("TRIBUTARY_CONFIG_FILE", file.toString(), "TRIBUTARY_SERVICE_NAME", "from-env",
        "TRIBUTARY_ENVIRONMENT", "from-env"), system);
    assertThat(c.bootstrapServers()).isEqualTo("from-file:9092");
    assertThat(c.environment()).isEqualTo("from-env");
    assertThat(c.serviceName()).isEqualTo("from-system");
  }

  @Test
  void codeAfterFromEnvironmentWins() {
    TributaryBuilder builder = Tributary.builder();
    ConfigKeys.applyEnvironment(builder, Map.of("TRIBUTARY_SERVICE_NAME", "env", "TRIBUTARY_BOOTSTRAP_SERVERS", "k:1"),
        new Properties());
    assertThat(builder.serviceName("code").config().serviceName()).isEqualTo("code");
  }

  @Test
  void invalidValuesFailAtConfigurationNamingTheSetting() {
    assertThatThrownBy(() -> Tributary.builder().serviceName("s").build())
        .hasMessageContaining("bootstrapServers must be set");
    assertThatThrownBy(() -> Tributary.builder().bootstrapServers("k:1").build())
        .hasMessageContaining("serviceName must be set");
    assertThatThrownBy(() -> base().logsBufferCapacity(0).config())
        .hasMessage("logsBufferCapacity must be positive, was 0");
    assertThatThrownBy(() -> base().metricsStep(Duration.ZERO).config())
        .hasMessage("metricsStep must be positive, was PT0S");
    assertThatThrownBy(() -> base().logsTopic("no spaces").config())
        .hasMessageContaining("logsTopic must be a valid Kafka topic name");
    assertThatThrownBy(() -> fromEnv(Map.of("TRIBUTARY_METRICS_STEP", "soon"), new Properties()))
        .hasMessageContaining("metrics.step must be a duration such as 7d, 12h, 30m, 45s, 500ms, got 'soon'");
    assertThatThrownBy(() -> fromEnv(Map.of("TRIBUTARY_LOGS_OVERFLOW", "block"), new Properties()))
        .hasMessage("logs.overflow must be drop-newest, drop-oldest or spill, was 'block'");
  }

  @Test
  void producerSettingsThatWouldLetKafkaBlockCannotBeOverridden() {
    assertThatThrownBy(() -> base().producerProperty("max.block.ms", "60000").config())
        .hasMessageContaining("kafka.max.block.ms cannot be set");
    assertThatThrownBy(() -> base().producerProperty("acks", "sometimes").config())
        .hasMessageContaining("invalid Kafka producer configuration");
  }

  @Test
  void secretsNeverAppearInTheConfigurationsToString() {
    ClientConfig c = base().producerProperty("sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2\";").config();
    assertThat(c.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
  }

  @Test
  void instanceIdDefaultsToTheHost() {
    assertThat(base().config().instanceId()).isNotBlank();
  }

  private static TributaryBuilder base() {
    return Tributary.builder().bootstrapServers("127.0.0.1:9").serviceName("svc");
  }
}
