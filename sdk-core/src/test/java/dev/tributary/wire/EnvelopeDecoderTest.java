package dev.tributary.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.wire.EnvelopeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link EnvelopeCodec.Decoder}: the same envelopes as {@link EnvelopeCodec#decode}, with shared strings. */
class EnvelopeDecoderTest {
  private final EnvelopeCodec codec = EnvelopeCodec.create();
  private final EnvelopeCodec.Decoder decoder = codec.newDecoder();

  @Test
  void everyGoldenExampleDecodesToWhatThePlainDecodeReturnsAlsoWhenReused() throws Exception {
    for (int pass = 0; pass < 3; pass++) {
      for (String name : Golden.names()) {
        byte[] golden = Golden.bytes(name);
        assertThat(decoder.decode(golden)).as(name + ", pass " + pass).isEqualTo(codec.decode(golden));
      }
    }
  }

  @Test
  void repeatedIdentifiersAreTheSameStringsAndTheSameSource() throws Exception {
    MetricEnvelope a = (MetricEnvelope) decoder.decode(codec.encode(counter("pod-1", "/a", 1000, 1)));
    MetricEnvelope b = (MetricEnvelope) decoder.decode(codec.encode(counter("pod-1", "/a", 2000, 2)));

    assertThat(b).isEqualTo(counter("pod-1", "/a", 2000, 2));
    assertThat(b.source()).isSameAs(a.source());
    assertThat(b.name()).isSameAs(a.name());
    assertThat(b.help()).isSameAs(a.help());
    assertThat(b.stream()).isSameAs(a.stream());
    assertThat(b.labels().get("route")).isSameAs(a.labels().get("route"));
    assertThat(b.labels().keySet().iterator().next()).isSameAs(a.labels().keySet().iterator().next());
  }

  @Test
  void aNewSenderOrTimestampIsNotMistakenForThePreviousOne() throws Exception {
    List<MetricEnvelope> sent = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) { // more distinct values than the table has slots
      sent.add(counter("pod-" + (i % 3), "/route-" + i, 1_700_000_000_000L + (i / 7) * 1000L, i));
    }
    for (MetricEnvelope e : sent) {
      assertThat(decoder.decode(codec.encode(e))).isEqualTo(e);
    }
  }

  @Test
  void rejectionsAreTheSameAndDoNotSpoilTheNextRecord() throws Exception {
    String header = "\"@timestamp\":\"2026-11-23T10:15:30.123Z\",\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\","
        + "\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":3},\"service\":{\"name\":\"svc\",\"node\":{\"name\":\"i-1\"}}";
    String good = "{" + header + ",\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\","
        + "\"value\":1},\"labels\":{\"a\":\"x\",\"b\":null}}";
    List<String> bad = List.of(
        "not json",
        "{" + header.replace("2026-11-23T10:15:30.123Z", "yesterday") + "}",
        "{" + header + ",\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1},"
            + "\"labels\":{\"a\":3}}",
        "{" + header + ",\"metric\":{\"name\":7,\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1}}",
        "{" + header.replace("\"1.0\"", "\"2.0\"") + "}");
    for (String json : bad) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      EnvelopeException expected = catchRejection(() -> codec.decode(bytes));
      assertThatThrownBy(() -> decoder.decode(bytes)).as(json)
          .isInstanceOfSatisfying(EnvelopeException.class, e -> {
            assertThat(e.reason()).isEqualTo(expected.reason());
            assertThat(e.getMessage()).isEqualTo(expected.getMessage());
          });
      byte[] ok = good.getBytes(StandardCharsets.UTF_8);
      assertThat(decoder.decode(ok)).isEqualTo(codec.decode(ok));
    }
    assertThatThrownBy(() -> decoder.decode(new byte[0]))
        .isInstanceOfSatisfying(EnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON));
  }

  @Test
  void stringsTooLongToCacheAndEscapedStringsAreReadExactly() throws Exception {
    String longValue = "v".repeat(DecodeCache.MAX_CACHED_LENGTH + 1);
    MetricEnvelope e = new MetricEnvelope(1000, new Source("s\"q", "i\u00e9-1", null, null, "r"), "metrics", 1,
        "up", MetricEnvelope.MetricKind.GAUGE, "h\\elp \u2603", null, 0, Map.of("long", longValue, "esc", "a\nb"), 1,
        null, null);
    assertThat(decoder.decode(codec.encode(e))).isEqualTo(e);
    assertThat(decoder.decode(codec.encode(e))).isEqualTo(e);
  }

  @Test
  void plainMetricEnvelopesTakeTheByteLevelPathAndOthersAreDeclined() throws Exception {
    DecodeCache cache = new DecodeCache();
    for (String name : Golden.names()) {
      byte[] golden = Golden.bytes(name);
      boolean scanned = cache.scanner().scan(new EnvelopeReader(cache), golden, 0, golden.length);
      assertThat(scanned).as(name).isEqualTo(name.startsWith("metric-"));
    }
    byte[] escaped = codec.encode(new MetricEnvelope(1000, new Source("s", "i", null, null, "r"), "metrics", 1, "up",
        MetricEnvelope.MetricKind.GAUGE, "a \"quoted\" help", null, 0, Map.of(), 1, null, null));
    assertThat(cache.scanner().scan(new EnvelopeReader(cache), escaped, 0, escaped.length)).isFalse();
  }

  /**
   * Differential test of the byte-level path: every prefix of every metric example, and every
   * example with one byte replaced by a troublesome one, decodes to the same envelope, or fails with
   * the same reason and message, as the plain Jackson decode.
   */
  @Test
  void truncatedAndMutatedMetricRecordsGiveTheSameOutcomeAsThePlainDecode() throws Exception {
    byte[] replacements = " \"{}[],:0-.eE+nx\\\u0001".getBytes(StandardCharsets.ISO_8859_1);
    int compared = 0;
    for (String name : Golden.names()) {
      if (!name.startsWith("metric-")) {
        continue;
      }
      byte[] golden = Golden.bytes(name);
      for (int len = 0; len <= golden.length; len++) {
        assertSameOutcome(java.util.Arrays.copyOf(golden, len));
        compared++;
      }
      for (int at = 0; at < golden.length; at++) {
        for (byte r : replacements) {
          byte[] mutated = golden.clone();
          mutated[at] = r;
          assertSameOutcome(mutated);
          compared++;
        }
        byte[] nonAscii = golden.clone();
        nonAscii[at] = (byte) 0xC3;
        assertSameOutcome(nonAscii);
      }
    }
    assertThat(compared).isGreaterThan(10_000);
  }

  @Test
  void unusualButValidMetricJsonReadsTheSame() throws Exception {
    String header = "\"@timestamp\":\"2026-11-23T10:15:30.123Z\",\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\","
        + "\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":3,\"extra\":[1,{\"a\":[true,false,null]}]},"
        + "\"service\":{\"name\":\"svc\",\"version\":null,\"node\":{\"name\":\"i-1\",\"x\":1}},\"zz\":{}";
    List<String> bodies = List.of(
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":-0}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00Z\",\"value\":1.5e-3}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":\"-Inf\"}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":123456789012345678}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1234567890123456789}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":0.1E+400}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1,\"value\":2}",
        "\"metric\":{\"name\":\"h\",\"type\":\"histogram\",\"start\":\"2026-11-23T10:00:00.000Z\",\"count\":3,"
            + "\"sum\":1,\"buckets\":[]}",
        "\"metric\":{\"name\":\"h\",\"type\":\"histogram\",\"start\":\"2026-11-23T10:00:00.000Z\",\"count\":3,"
            + "\"sum\":1,\"buckets\":[ {\"le\":\"+Inf\", \"count\":3 ,\"x\":[]} ]}",
        "\"metric\":{\"name\":\"s\",\"type\":\"summary\",\"start\":\"2026-11-23T10:00:00.000Z\",\"count\":3,"
            + "\"sum\":1,\"quantiles\":[{\"quantile\":0.5,\"value\":\"NaN\"},{\"quantile\":1,\"value\":2}]}",
        "\"metric\":{\"name\":\"s\",\"type\":\"summary\",\"start\":\"2026-11-23T10:00:00.000Z\",\"count\":3,"
            + "\"sum\":1,\"quantiles\":[{\"quantile\":1.5,\"value\":1}]}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":null,\"value\":1}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1},"
            + "\"labels\":{},\"labels\":{\"a\":\"1\",\"b\":null,\"c\":\"\"}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1},"
            + "\"labels\":{\"a\":1}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1},"
            + "\"trace\":{\"id\":\"t\"}");
    for (String body : bodies) {
      for (String json : List.of("{" + header + "," + body + "}", " {\n\t" + header.replace(",", " ,\r\n ")
          .replace(":", " : ") + " , " + body + " } trailing")) {
        assertSameOutcome(json.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** The service object of the previous record is remembered by its bytes: repeated, changed, duplicated. */
  @Test
  void repeatedChangedAndDuplicateServiceObjectsReadTheSame() {
    assertSameOutcomesInTurn(TIMESTAMP + "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\","
        + "\"stream\":\"metrics\",\"seq\":3},", List.of(
        "\"service\":{\"name\":\"a\",\"node\":{\"name\":\"i-1\"}}",
        "\"service\":{\"name\":\"a\",\"node\":{\"name\":\"i-1\"}}",
        "\"service\":{\"name\":\"a\",\"node\":{\"name\":\"i-2\"}}",
        "\"service\":{\"name\":\"a\",\"version\":\"9\",\"node\":{\"name\":\"i-2\"}}",
        "\"service\":{\"name\":\"a\",\"version\":\"9\",\"node\":{\"name\":\"i-2\"}},\"service\":{\"name\":\"b\"}",
        "\"service\":{\"name\":\"b\"}",
        "\"service\":{\"name\":\"b\"},\"service\":{\"name\":\"b\"}",
        "\"service\":{\"name\":\"a\",\"version\":null,\"node\":{\"name\":\"i-1\"}},\"service\":{\"name\":\"b\"}",
        "\"service\":{\"name\":\"b\"},\"service\":{\"environment\":\"prod\"}",
        "\"service\":{\"name\":\"b\"",
        "\"service\":{\"name\":\"b\"}"), "," + GAUGE_BODY);
  }

  /** The tributary object up to seq is remembered by its bytes: repeated, changed, reordered, duplicated. */
  @Test
  void repeatedChangedAndDuplicateTributaryObjectsReadTheSame() {
    assertSameOutcomesInTurn(TIMESTAMP, List.of(
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":3}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":4}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":-4}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":5,\"x\":[1]}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":6,\"run\":\"r2\"}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":7}",
        "\"tributary\":{\"seq\":8,\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\"}",
        "\"tributary\":{\"seq\":9,\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\"}",
        "\"tributary\":{\"schema\":\"2.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":3}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r9\",\"stream\":\"metrics\",\"seq\":3},"
            + "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"seq\":4}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"seq\":4}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\"}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":\"x\"}",
        "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\",\"stream\":\"metrics\",\"seq\":10}"),
        ",\"service\":{\"name\":\"a\",\"node\":{\"name\":\"i-1\"}}," + GAUGE_BODY);
  }

  private static final String TIMESTAMP = "{\"@timestamp\":\"2026-11-23T10:15:30.123Z\",";
  private static final String GAUGE_BODY =
      "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1}}";

  /** Records {@code head + part + tail}, one per part, through the same decoder in turn. */
  private void assertSameOutcomesInTurn(String head, List<String> parts, String tail) {
    for (String part : parts) {
      assertSameOutcome((head + part + tail).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void assertSameOutcome(byte[] bytes) {
    String what = new String(bytes, StandardCharsets.ISO_8859_1);
    Object expected;
    try {
      expected = codec.decode(bytes);
    } catch (EnvelopeException e) {
      expected = e.reason() + ": " + e.getMessage();
    }
    Object actual;
    try {
      actual = decoder.decode(bytes);
    } catch (EnvelopeException e) {
      actual = e.reason() + ": " + e.getMessage();
    } catch (RuntimeException e) {
      throw new AssertionError("the decoder threw " + e + " on " + what, e);
    }
    assertThat(actual).as(what).isEqualTo(expected);
  }

  private static MetricEnvelope counter(String instance, String route, long timestamp, long seq) {
    return new MetricEnvelope(timestamp, new Source("shop", instance, "1.0", "prod", "run-" + instance), "metrics", seq,
        "orders_total", MetricEnvelope.MetricKind.COUNTER, "Orders", null, 1_600_000_000_000L, Map.of("route", route),
        seq * 1.5, null, null);
  }

  private interface Decode {
    Envelope run() throws EnvelopeException;
  }

  private static EnvelopeException catchRejection(Decode d) {
    try {
      d.run();
    } catch (EnvelopeException e) {
      return e;
    }
    throw new AssertionError("expected a rejection");
  }
}
