package dev.tributary.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AlertmanagerPayloadTest {

  private static List<AlertmanagerPayload.Alert> parse(String json) {
    return AlertmanagerPayload.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesEveryAlertOfAVersion4Payload() throws Exception {
    List<AlertmanagerPayload.Alert> alerts =
        AlertmanagerPayload.parse(Files.readAllBytes(Path.of("src/test/resources/alertmanager-webhook.json")));
    assertThat(alerts).hasSize(2);
    AlertmanagerPayload.Alert firing = alerts.get(0);
    assertThat(firing.eventName()).isEqualTo("alert.firing");
    assertThat(firing.fingerprint()).isEqualTo("6f1e0b3a9d2c4e11");
    assertThat(firing.attributes()).containsEntry("alertname", "KafkaConsumerGroupLagHigh")
        .containsEntry("severity", "warning").containsEntry("receiver", "tributary")
        .containsEntry("external_url", "http://alertmanager.example:9093");
    assertThat(alerts.get(1).eventName()).isEqualTo("alert.resolved");
  }

  @Test
  void refusesWhatIsNotAnAlertmanagerPayload() {
    assertThatThrownBy(() -> parse("[]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> parse("{\"alerts\":[]}")).hasMessageContaining("unsupported payload version");
    assertThatThrownBy(() -> parse("{\"version\":\"4\"}")).hasMessageContaining("'alerts' must be an array");
    assertThatThrownBy(() -> parse("{\"version\":\"4\",\"alerts\":[{\"status\":\"pending\",\"labels\":{}}]}"))
        .hasMessageContaining("alerts[0].status");
    assertThatThrownBy(() -> parse("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\"}]}"))
        .hasMessageContaining("alerts[0].labels is required");
    assertThatThrownBy(() -> parse("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":1}}]}"))
        .hasMessageContaining("alerts[0].labels.a must be a string");
    assertThatThrownBy(() -> parse("{\"version\":")).hasMessageContaining("not JSON");
  }

  @Test
  void anAlertWithoutFingerprintIsKeyedByItsLabels() {
    String json = "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"b\":\"2\",\"a\":\"1\"}}]}";
    String fp = parse(json).get(0).fingerprint();
    assertThat(fp).hasSize(16).isEqualTo(AlertmanagerPayload.fingerprint(new TreeMap<>(Map.of("a", "1", "b", "2"))));
    assertThat(fp).isNotEqualTo(AlertmanagerPayload.fingerprint(new TreeMap<>(Map.of("a", "1", "b", "3"))));
  }
}
