package dev.tributary.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.Tributary;
import io.micrometer.core.instrument.config.validate.ValidationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TributaryConfigTest {

  @Test
  void defaultsAreDocumented() {
    TributaryConfig config = TributaryConfig.DEFAULT;
    assertThat(config.prefix()).isEqualTo("tributary");
    assertThat(config.step()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.topic()).isEqualTo("metrics.events");
    assertThat(config.descriptions()).isTrue();
    assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.bootstrapServers()).isNull();
    assertThat(config.serviceName()).isNull();
    assertThat(config.instanceId()).isNull();
    assertThat(config.client()).isNull();
  }

  @Test
  void everySettingIsReadUnderThePrefix() {
    Map<String, String> props = Map.of(
        "tributary.step", "30s",
        "tributary.bootstrapServers", "127.0.0.1:9092",
        "tributary.serviceName", "checkout",
        "tributary.instanceId", "checkout-1",
        "tributary.topic", "metrics.test",
        "tributary.descriptions", "false",
        "tributary.closeTimeout", "PT2S");
    TributaryConfig config = props::get;
    config.requireValid();
    assertThat(config.step()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(config.serviceName()).isEqualTo("checkout");
    assertThat(config.instanceId()).isEqualTo("checkout-1");
    assertThat(config.topic()).isEqualTo("metrics.test");
    assertThat(config.descriptions()).isFalse();
    assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void ownClientNeedsBootstrapServersAndServiceName() {
    assertThatThrownBy(TributaryConfig.DEFAULT::requireValid)
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("tributary.bootstrapServers was 'null' but it is required")
        .hasMessageContaining("tributary.serviceName was 'null' but it is required");
  }

  @Test
  void sharedClientNeedsNoConnectionSettings() {
    TributaryConfig.sharing(Tributary.noop()).requireValid();
    assertThat(TributaryConfig.sharing(Tributary.noop()).client()).isSameAs(Tributary.noop());
  }

  @Test
  void invalidValuesAreNamed() {
    Map<String, String> props = Map.of(
        "tributary.step", "0s",
        "tributary.closeTimeout", "soon",
        "tributary.descriptions", "maybe",
        "tributary.bootstrapServers", "127.0.0.1:9092",
        "tributary.serviceName", "checkout");
    TributaryConfig config = props::get;
    assertThatThrownBy(config::requireValid)
        .isInstanceOf(ValidationException.class)
        .hasMessage("Multiple validation failures:\n"
            + "tributary.step was 'PT0S' but it must be positive\n"
            + "tributary.closeTimeout was 'soon' but it must be a valid duration value\n"
            + "tributary.descriptions was 'maybe' but it must be 'true' or 'false'");
  }

  @Test
  void builderValidatesBeforeCreatingAClient() {
    assertThatThrownBy(() -> TributaryMeterRegistry.builder(TributaryConfig.DEFAULT).build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("tributary.bootstrapServers");
  }
}
