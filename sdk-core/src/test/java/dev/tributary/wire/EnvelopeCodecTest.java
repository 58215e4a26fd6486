package dev.tributary.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.wire.EnvelopeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeCodecTest {
  private final EnvelopeCodec codec = EnvelopeCodec.create();

  private static final String HEADER = "\"@timestamp\":\"2026-11-23T10:15:30.123Z\","
      + "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":3},"
      + "\"service\":{\"name\":\"svc\",\"node\":{\"name\":\"i-1\"}}";

  @Test
  void unknownFieldsAtEveryLevelAreIgnored() throws Exception {
    String json = "{\"future\":{\"a\":[1,{\"b\":2}]}," + HEADER.replace("\"seq\":3", "\"seq\":3,\"extra\":true")
        + ",\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00Z\",\"value\":1,\"exemplar\":{}}}";
    MetricEnvelope m = (MetricEnvelope) decode(json);
    assertThat(m.name()).isEqualTo("up");
    assertThat(m.value()).isEqualTo(1.0);
    assertThat(m.seq()).isEqualTo(3);
    assertThat(m.identity()).isEqualTo("i-1:r1:metrics:3");
  }

  @Test
  void theMajorVersionIsTheNumberBeforeTheDot() {
    assertThat(EnvelopeCodec.majorVersion("1.0")).isEqualTo(1);
    assertThat(EnvelopeCodec.majorVersion("1.")).isEqualTo(1);
    assertThat(EnvelopeCodec.majorVersion("1")).isEqualTo(1);
    assertThat(EnvelopeCodec.majorVersion("10.0")).isEqualTo(10);
    assertThat(EnvelopeCodec.majorVersion("+1.0")).isEqualTo(1);
    assertThat(EnvelopeCodec.majorVersion("2.1")).isEqualTo(2);
    assertThat(EnvelopeCodec.majorVersion("1x.0")).isEqualTo(-1);
    assertThat(EnvelopeCodec.majorVersion("v1")).isEqualTo(-1);
    assertThat(EnvelopeCodec.majorVersion(null)).isEqualTo(-1);
  }

  @Test
  void aNewerMinorVersionIsRead() throws Exception {
    String json = "{" + HEADER.replace("\"1.0\"", "\"1.7\"")
        + ",\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00Z\",\"value\":1}}";
    assertThat(decode(json)).isInstanceOf(MetricEnvelope.class);
  }

  @Test
  void anUnknownMajorVersionIsRejectedAsSuchEvenWhenItsShapeDiffers() {
    String json = "{\"tributary\":{\"schema\":\"2.0\",\"type\":\"metric\"},\"metric\":[1,2,3]}";
    assertRejected(json, Reason.UNSUPPORTED_VERSION, "unsupported schema version 2.0");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not json at all|MALFORMED_JSON|invalid JSON",
      "[1,2]|MALFORMED_JSON|not a JSON object",
      "{\"tributary\":{\"schema\":\"1.0\"}|MALFORMED_JSON|invalid JSON",
      "{}|MISSING_FIELD|tributary.schema",
  })
  void malformedRecordsAreRejectedWithAReason(String json, Reason reason, String message) {
    assertRejected(json, reason, message);
  }

  @Test
  void anUnknownTypeIsRejected() {
    assertRejected("{" + HEADER.replace("\"metric\",\"run\"", "\"trace\",\"run\"") + "}", Reason.UNKNOWN_TYPE, "trace");
  }

  @Test
  void requiredFieldsAreNamedWhenMissing() {
    assertRejected("{" + HEADER + ",\"metric\":{\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00Z\",\"value\":1}}",
        Reason.MISSING_FIELD, "metric.name");
    assertRejected("{" + HEADER + ",\"metric\":{\"name\":\"x\",\"type\":\"histogram\",\"start\":\"2026-11-23T10:00:00Z\",\"count\":1,\"sum\":1}}",
        Reason.MISSING_FIELD, "metric.buckets");
    assertRejected("{" + HEADER.replace(",\"seq\":3", "") + ",\"metric\":{}}", Reason.MISSING_FIELD, "tributary.seq");
  }

  @Test
  void wrongTypesAreInvalidValues() {
    assertRejected("{" + HEADER + ",\"metric\":{\"name\":\"x\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00Z\",\"value\":{}}}",
        Reason.INVALID_VALUE, "metric.value must be a number");
    assertRejected("{" + HEADER + ",\"metric\":{\"name\":\"x\",\"type\":\"meter\",\"start\":\"2026-11-23T10:00:00Z\",\"value\":1}}",
        Reason.INVALID_VALUE, "unknown metric.type: meter");
    assertRejected("{" + HEADER.replace("2026-11-23T10:15:30.123Z", "yesterday") + "}", Reason.INVALID_VALUE, "@timestamp");
  }

  @Test
  void nonFiniteValuesTravelAsPrometheusStrings() throws Exception {
    Source source = new Source("svc", "i-1", null, null, "r1");
    MetricEnvelope gauge = new MetricEnvelope(1000, source, "metrics", 1, "temp", MetricEnvelope.MetricKind.GAUGE, null,
        null, 0, Map.of(), Double.POSITIVE_INFINITY, null, null);
    String json = new String(codec.encode(gauge), StandardCharsets.UTF_8);
    assertThat(json).contains("\"value\":\"+Inf\"");
    assertThat(((MetricEnvelope) codec.decode(codec.encode(gauge))).value()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void freeFormValuesRoundTripWithTheirJsonTypes() throws Exception {
    Source source = new Source("svc", "i-1", null, null, "r1");
    Map<String, Object> attributes = new java.util.LinkedHashMap<>();
    attributes.put("n", 3L);
    attributes.put("x", 1.5);
    attributes.put("ok", false);
    attributes.put("none", null);
    attributes.put("list", List.of("a", 2L));
    attributes.put("big", new java.math.BigInteger("123456789012345678901234567890"));
    EventEnvelope event = new EventEnvelope(1000, source, "orders.events", 1, "orders", "created", "o-1", attributes,
        null, null, null);
    EventEnvelope back = (EventEnvelope) codec.decode(codec.encode(event));
    assertThat(back).isEqualTo(event);
  }

  @Test
  void unencodableObjectsAreWrittenAsTheirToString() throws Exception {
    Source source = new Source("svc", "i-1", null, null, "r1");
    Object hostile = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("boom");
      }
    };
    EventEnvelope event = new EventEnvelope(1000, source, "orders.events", 1, "orders", "created", null,
        Map.of("custom", java.time.Duration.ofSeconds(3), "hostile", hostile), null, null, null);
    EventEnvelope back = (EventEnvelope) codec.decode(codec.encode(event));
    assertThat(back.attributes().get("custom")).isEqualTo("PT3S");
    assertThat((String) back.attributes().get("hostile")).startsWith("[toString() of ").contains("failed");
  }

  @Test
  void timestampsWithOffsetsAndOtherPrecisionsAreRead() throws Exception {
    String json = "{" + HEADER.replace("2026-11-23T10:15:30.123Z", "2026-11-23T11:15:30.123456+01:00")
        + ",\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00Z\",\"value\":1}}";
    assertThat(decode(json).timestamp()).isEqualTo(Timestamps.parse("2026-11-23T10:15:30.123Z"));
  }

  private Envelope decode(String json) throws EnvelopeException {
    return codec.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  private void assertRejected(String json, Reason reason, String messagePart) {
    assertThatThrownBy(() -> decode(json))
        .isInstanceOfSatisfying(EnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
  }
}
