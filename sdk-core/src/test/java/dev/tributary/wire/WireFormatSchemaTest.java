package dev.tributary.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.tributary.wire.EnvelopeException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schemas in docs/wire-format/schemas and {@link EnvelopeCodec#decode} describe the same
 * format: every golden example is valid, and each deliberately broken envelope is both invalid
 * against the schema and rejected by the reader with the matching {@link Reason}; each unusual but
 * legal envelope is accepted by both.
 */
class WireFormatSchemaTest {
  private static final String BASE = "https://tributary.dev/schemas/wire/v1/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      builder -> builder
          // format is only an annotation in 2020-12 unless asserted; date-time is part of the contract.
          .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
          // The schemas' $ids are served from docs/wire-format/schemas, never fetched.
          .schemas(WireFormatSchemaTest::schemaText));

  private final EnvelopeCodec codec = EnvelopeCodec.create();

  static Path schemasDir() {
    return Golden.dir().getParent().resolve("schemas");
  }

  private static String schemaText(String iri) {
    if (!iri.startsWith(BASE)) {
      return null;
    }
    try {
      return Files.readString(schemasDir().resolve(iri.substring(BASE.length())), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<String> goldenNames() {
    return Golden.names().stream();
  }

  @ParameterizedTest
  @MethodSource("goldenNames")
  void everyGoldenExampleIsValidAgainstItsTypesSchema(String name) {
    String json = new String(Golden.bytes(name), StandardCharsets.UTF_8);
    String type = name.replaceFirst("[-.].*", "");
    assertThat(read(Golden.bytes(name)).path("tributary").path("type").asText())
        .as("the file name starts with the envelope type").isEqualTo(type);

    assertThat(validate(type, json)).as(name + " against " + type + ".schema.json").isEmpty();
    assertThat(validate("envelope", json)).as(name + " against envelope.schema.json").isEmpty();
  }

  @Test
  void everyTypeHasASchemaAndAGoldenExample() {
    for (EnvelopeType type : EnvelopeType.values()) {
      assertThat(schemasDir().resolve(type.wireName() + ".schema.json")).isRegularFile();
      assertThat(Golden.names()).anyMatch(n -> n.startsWith(type.wireName()));
    }
  }

  static Stream<Arguments> brokenEnvelopes() {
    return Stream.of(
        broken("missing tributary.seq", "metric-counter.json", Reason.MISSING_FIELD,
            e -> obj(e, "tributary").remove("seq")),
        broken("metric.value is an object", "metric-gauge.json", Reason.INVALID_VALUE,
            e -> obj(e, "metric").putObject("value").put("v", 7)),
        broken("unknown metric.type", "metric-counter.json", Reason.INVALID_VALUE,
            e -> obj(e, "metric").put("type", "meter")),
        broken("unsupported major version", "log.json", Reason.UNSUPPORTED_VERSION,
            e -> obj(e, "tributary").put("schema", "2.0")),
        broken("unknown tributary.type", "event.json", Reason.UNKNOWN_TYPE,
            e -> obj(e, "tributary").put("type", "trace")),
        broken("missing @timestamp", "health.json", Reason.MISSING_FIELD,
            e -> e.remove("@timestamp")),
        broken("@timestamp not RFC 3339", "log.json", Reason.INVALID_VALUE,
            e -> e.put("@timestamp", "23/11/2026 10:15")),
        broken("negative tributary.seq", "log.json", Reason.MISSING_FIELD,
            e -> obj(e, "tributary").put("seq", -1)),
        broken("tributary.seq as a string", "log.json", Reason.INVALID_VALUE,
            e -> obj(e, "tributary").put("seq", "1")),
        broken("missing service.node.name", "event.json", Reason.MISSING_FIELD,
            e -> obj(obj(e, "service"), "node").remove("name")),
        broken("log without message", "log.json", Reason.MISSING_FIELD,
            e -> e.remove("message")),
        broken("log.level null", "log.json", Reason.MISSING_FIELD,
            e -> obj(e, "log").putNull("level")),
        broken("error.stack_trace without error.type", "log-error.json", Reason.MISSING_FIELD,
            e -> obj(e, "error").remove("type")),
        broken("a label value that is not a string", "metric-counter.json", Reason.INVALID_VALUE,
            e -> obj(e, "labels").put("status", 200)),
        broken("event without event.name", "event.json", Reason.MISSING_FIELD,
            e -> obj(e, "event").remove("name")),
        broken("histogram without buckets", "metric-histogram.json", Reason.MISSING_FIELD,
            e -> obj(e, "metric").remove("buckets")),
        broken("histogram bucket le NaN", "metric-histogram.json", Reason.INVALID_VALUE,
            e -> ((ObjectNode) arr(obj(e, "metric"), "buckets").get(0)).put("le", "NaN")),
        broken("histogram bucket with a negative count", "metric-histogram.json", Reason.INVALID_VALUE,
            e -> ((ObjectNode) arr(obj(e, "metric"), "buckets").get(0)).put("count", -1)),
        broken("summary sum NaN", "metric-summary.json", Reason.MISSING_FIELD,
            e -> obj(e, "metric").put("sum", "NaN")),
        broken("summary quantile above 1", "metric-summary.json", Reason.INVALID_VALUE,
            e -> ((ObjectNode) arr(obj(e, "metric"), "quantiles").get(0)).put("quantile", 1.5)),
        broken("counter value \"Infinity\"", "metric-counter.json", Reason.INVALID_VALUE,
            e -> obj(e, "metric").put("value", "Infinity")),
        broken("health.status not UP, DEGRADED or DOWN", "health.json", Reason.INVALID_VALUE,
            e -> obj(e, "health").put("status", "SICK")),
        broken("health check without status", "health.json", Reason.MISSING_FIELD,
            e -> obj(obj(obj(e, "health"), "checks"), "database").remove("status")),
        broken("health without started", "health-down.json", Reason.MISSING_FIELD,
            e -> obj(e, "health").remove("started")),
        // Known top-level names are checked on every type: a metric's labels on an event too.
        broken("an event with non-string labels", "event.json", Reason.INVALID_VALUE,
            e -> e.putObject("labels").putArray("region")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenEnvelopes")
  void brokenEnvelopesAreInvalidAndRejectedByTheReader(String what, String golden, Reason reason, byte[] value) {
    String json = new String(value, StandardCharsets.UTF_8);
    String type = golden.replaceFirst("[-.].*", "");

    assertThat(validate(type, json)).as("schema errors for: " + what).isNotEmpty();
    assertThat(validate("envelope", json)).as("envelope schema errors for: " + what).isNotEmpty();
    EnvelopeException e = catchThrowableOfType(EnvelopeException.class, () -> codec.decode(value));
    assertThat(e).as("decode of: " + what).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
  }

  static Stream<Arguments> unusualButValidEnvelopes() {
    return Stream.of(
        accepted("unknown fields at every level", "log-error.json", e -> {
          e.put("x_future", "ignored");
          obj(e, "tributary").putObject("x_future").put("a", 1);
          obj(e, "service").put("x_future", true);
          obj(obj(e, "log"), "origin").putArray("x_future").add(1);
          obj(e, "error").put("x_future", 1.5);
          obj(e, "process").put("pid", 4242);
        }),
        accepted("unknown fields inside metric and its buckets", "metric-histogram.json", e -> {
          ((ObjectNode) arr(obj(e, "metric"), "buckets").get(0)).put("exemplar", "x");
          obj(e, "metric").put("x_future", "ignored");
        }),
        accepted("a newer minor version", "event.json", e -> obj(e, "tributary").put("schema", "1.7")),
        accepted("null for optional strings", "log.json", e -> {
          obj(e, "log").putNull("logger");
          obj(e, "service").putNull("version");
          obj(e, "labels").putNull("tenant");
        }),
        accepted("timestamps with an offset and other precisions", "health.json", e -> {
          e.put("@timestamp", "2026-11-23T10:15:30.123456+01:00");
          obj(e, "health").put("started", "2026-11-23T09:15:30Z");
        }),
        accepted("non-finite values as strings", "metric-gauge.json", e -> obj(e, "metric").put("value", "-Inf")),
        accepted("an explicit +Inf bucket", "metric-histogram.json",
            e -> arr(obj(e, "metric"), "buckets").addObject().put("le", "+Inf").put("count", 120)),
        accepted("a quantile without value", "metric-summary.json",
            e -> ((ObjectNode) arr(obj(e, "metric"), "quantiles").get(1)).remove("value")),
        accepted("a summary without quantiles", "metric-summary.json", e -> obj(e, "metric").remove("quantiles")),
        accepted("a heartbeat without uptime and interval", "health.json", e -> {
          obj(e, "health").remove("uptime_ms");
          obj(e, "health").remove("interval_ms");
        }),
        accepted("an event without entity id, context or attributes", "event.json", e -> {
          obj(e, "event").remove("entity_id");
          e.remove(List.of("correlation", "trace", "span", "attributes"));
        }),
        accepted("a log without optional members", "log.json",
            e -> e.retain("@timestamp", "tributary", "service", "log", "message")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unusualButValidEnvelopes")
  void unusualButValidEnvelopesAreAcceptedByBoth(String what, String golden, byte[] value) {
    String json = new String(value, StandardCharsets.UTF_8);
    String type = golden.replaceFirst("[-.].*", "");

    assertThat(validate(type, json)).as("schema errors for: " + what).isEmpty();
    assertThat(validate("envelope", json)).as("envelope schema errors for: " + what).isEmpty();
    assertThatCode(() -> codec.decode(value)).as("decode of: " + what).doesNotThrowAnyException();
  }

  private static Arguments broken(String what, String golden, Reason reason, Consumer<ObjectNode> mutation) {
    return Arguments.of(what, golden, reason, mutate(golden, mutation));
  }

  private static Arguments accepted(String what, String golden, Consumer<ObjectNode> mutation) {
    return Arguments.of(what, golden, mutate(golden, mutation));
  }

  private static byte[] mutate(String golden, Consumer<ObjectNode> mutation) {
    ObjectNode envelope = (ObjectNode) read(Golden.bytes(golden));
    mutation.accept(envelope);
    try {
      return JSON.writeValueAsBytes(envelope);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode obj(ObjectNode parent, String name) {
    JsonNode child = parent.get(name);
    if (child instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(name);
  }

  private static ArrayNode arr(ObjectNode parent, String name) {
    return (ArrayNode) parent.get(name);
  }

  private static JsonNode read(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Error> validate(String schemaName, String json) {
    Schema schema = SCHEMAS.getSchema(SchemaLocation.of(BASE + schemaName + ".schema.json"));
    return schema.validate(json, InputFormat.JSON);
  }
}
