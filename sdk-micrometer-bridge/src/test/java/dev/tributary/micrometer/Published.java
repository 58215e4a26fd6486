package dev.tributary.micrometer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.KafkaBroker;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.EnvelopeException;
import dev.tributary.wire.MetricEnvelope;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The metric envelopes of one topic, read back from the broker and decoded with the SDK's codec,
 * grouped by series (name and labels), in publication order. The client's own self-metrics
 * ({@code tributary_client_*}) are left out.
 */
final class Published {
  private static final EnvelopeCodec CODEC = EnvelopeCodec.create();

  private final List<MetricEnvelope> envelopes;
  private final Map<String, List<MetricEnvelope>> bySeries;

  private Published(List<MetricEnvelope> envelopes) {
    this.envelopes = envelopes;
    this.bySeries = envelopes.stream().collect(Collectors.groupingBy(Published::key, LinkedHashMap::new,
        Collectors.toList()));
  }

  /** Everything in {@code topic} once it has been quiet for a moment (call after the client closed). */
  static Published drain(KafkaBroker broker, String topic) {
    List<MetricEnvelope> envelopes = broker.reader().drain(topic, Duration.ofMillis(500)).stream()
        .map(r -> decode(r.value()))
        .filter(e -> !e.name().startsWith("tributary_client_"))
        .sorted((a, b) -> Long.compare(a.seq(), b.seq()))
        .toList();
    return new Published(envelopes);
  }

  private static MetricEnvelope decode(String value) {
    try {
      return (MetricEnvelope) CODEC.decode(value.getBytes(UTF_8));
    } catch (EnvelopeException e) {
      throw new AssertionError("not a valid envelope: " + value, e);
    }
  }

  static String key(MetricEnvelope e) {
    return key(e.name(), e.labels());
  }

  static String key(String name, Map<String, String> labels) {
    return name + new TreeMap<>(labels);
  }

  List<MetricEnvelope> all() {
    return envelopes;
  }

  Map<String, List<MetricEnvelope>> bySeries() {
    return bySeries;
  }

  /** The only envelope of a series: fails if there is none or more than one. */
  MetricEnvelope only(String name, Map<String, String> labels) {
    List<MetricEnvelope> series = bySeries.get(key(name, labels));
    assertThat(series).as("envelopes of %s%s among %s", name, labels, bySeries.keySet()).hasSize(1);
    return series.get(0);
  }

  /** Every envelope of a series, oldest first. */
  List<MetricEnvelope> series(String name, Map<String, String> labels) {
    return bySeries.getOrDefault(key(name, labels), List.of());
  }
}
