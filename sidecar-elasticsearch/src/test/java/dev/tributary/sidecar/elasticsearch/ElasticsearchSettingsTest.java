package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.sidecar.SidecarConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ElasticsearchSettingsTest {

  @Test
  void theDefaultSubscriptionTakesLogsAndBusinessEventsOnly() {
    ElasticsearchSettings s = settings(Map.of());
    Pattern p = s.topicPattern;
    assertThat(p.matcher("logs.events").matches()).isTrue();
    assertThat(p.matcher("payment.events").matches()).isTrue();
    assertThat(p.matcher("metrics.events").matches()).isFalse();
    assertThat(p.matcher("health.events").matches()).isFalse();
    assertThat(p.matcher("payment.events.dlq").matches()).isFalse();
    assertThat(p.matcher("logs.events.dlq").matches()).isFalse();
    assertThat(p.matcher("__consumer_offsets").matches()).isFalse();
    assertThat(p.matcher("my-metrics.events").matches()).isTrue();
  }

  @Test
  void theEnvironmentConfiguresEverythingAndUnknownKeysAreRejected() {
    Map<String, String> env = new HashMap<>();
    env.put("TRIBUTARY_BOOTSTRAP_SERVERS", "kafka:9092");
    env.put("TRIBUTARY_ELASTICSEARCH_URL", "https://es1:9200/, https://es2:9200");
    env.put("TRIBUTARY_ELASTICSEARCH_API_KEY", "aWQ6a2V5");
    env.put("TRIBUTARY_ELASTICSEARCH_BULK_MAX_ACTIONS", "500");
    SidecarConfig config = SidecarConfig.load(ElasticsearchSettings.keys(), env);
    ElasticsearchSettings s = new ElasticsearchSettings(config);
    assertThat(s.urls).extracting(Object::toString).containsExactly("https://es1:9200", "https://es2:9200");
    assertThat(s.authorization).isEqualTo("ApiKey aWQ6a2V5");
    assertThat(s.get(ElasticsearchSettings.BULK_MAX_ACTIONS)).isEqualTo(500);
    assertThat(config.get(SidecarConfig.GROUP_ID)).isEqualTo("tributary-elasticsearch");
    assertThat(config.get(SidecarConfig.HTTP_PORT)).isEqualTo(9402);

    env.put("TRIBUTARY_ELASTICSEARCH_BULK_MAX_ACTIOSN", "5");
    assertThatThrownBy(() -> SidecarConfig.load(ElasticsearchSettings.keys(), env))
        .hasMessageContaining("TRIBUTARY_ELASTICSEARCH_BULK_MAX_ACTIOSN");
  }

  @Test
  void basicAuthIsEncodedAndExclusiveWithAnApiKey() {
    assertThat(settings(Map.of("elasticsearch.username", "elastic", "elasticsearch.password", "secret")).authorization)
        .isEqualTo("Basic ZWxhc3RpYzpzZWNyZXQ=");
    assertThatThrownBy(() -> settings(Map.of("elasticsearch.username", "u", "elasticsearch.api.key", "k")))
        .hasMessageContaining("exclusive");
    assertThatThrownBy(() -> settings(Map.of("elasticsearch.password", "p"))).hasMessageContaining("USERNAME");
    assertThatThrownBy(() -> settings(Map.of("elasticsearch.url", "https://elastic:hunter22@es:9200")))
        .hasMessage("TRIBUTARY_ELASTICSEARCH_URL: put credentials in TRIBUTARY_ELASTICSEARCH_USERNAME/"
            + "TRIBUTARY_ELASTICSEARCH_PASSWORD or TRIBUTARY_ELASTICSEARCH_API_KEY, not in the URL");
  }

  @Test
  void invalidValuesFailAtStartNamingTheKey() {
    assertThatThrownBy(() -> settings(Map.of("elasticsearch.url", "es:9200"))).hasMessageContaining("TRIBUTARY_ELASTICSEARCH_URL");
    assertThatThrownBy(() -> settings(Map.of("elasticsearch.index.mode", "alias"))).hasMessageContaining("TRIBUTARY_ELASTICSEARCH_INDEX_MODE");
    assertThatThrownBy(() -> settings(Map.of("elasticsearch.templates.install", "yes"))).hasMessageContaining("true or false");
    assertThatThrownBy(() -> settings(Map.of("elasticsearch.index.date.pattern", "EEE"))).hasMessageContaining("DATE_PATTERN");
    assertThatThrownBy(() -> settings(Map.of("elasticsearch.tls.ca.path", "/nonexistent.pem"))).hasMessageContaining("cannot read");
  }

  private static ElasticsearchSettings settings(Map<String, String> values) {
    return new ElasticsearchSettings(SidecarConfig.of(ElasticsearchSettings.keys(), values));
  }
}
