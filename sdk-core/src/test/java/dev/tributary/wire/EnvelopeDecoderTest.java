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
      boolean scanned = cache.scanner().scanMetric(new EnvelopeReader(cache), golden, 0, golden.length);
      assertThat(scanned).as(name).isEqualTo(name.startsWith("metric-"));
    }
    byte[] escaped = codec.encode(new MetricEnvelope(1000, new Source("s", "i", null, null, "r"), "metrics", 1, "up",
        MetricEnvelope.MetricKind.GAUGE, "a \"quoted\" help", null, 0, Map.of(), 1, null, null));
    assertThat(cache.scanner().scanMetric(new EnvelopeReader(cache), escaped, 0, escaped.length)).isFalse();
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

  /**
   * A metric object's members before its first sample member are remembered per series by their
   * bytes: repeated with new values, changed in one field, with more whitespace, reordered,
   * duplicated, without a sample member, and two series whose first member is the same.
   */
  @Test
  void repeatedChangedAndDuplicateMetricObjectsReadTheSame() {
    String start = "\"start\":\"2026-11-23T10:00:00.000Z\"";
    assertSameOutcomesInTurn(TIMESTAMP + HEADER, List.of(
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"help\":\"Up\"," + start + ",\"value\":1}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"help\":\"Up\"," + start + ",\"value\":2.25}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"help\":\"Up\"," + start + ",\"value\":  3}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"help\":\"Up\"," + start + ",\"value\" :4}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"help\":\"Down\"," + start + ",\"value\":5}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"help\":null," + start + ",\"value\":6}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\"," + start + ",\"value\":7}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\"," + start + ",\"value\":7,\"help\":\"Late\"}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\"," + start + ",\"value\":8,\"name\":\"other\"}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\"," + start.replace("10:00", "11:00") + ",\"value\":9}",
        "\"metric\":{\"name\":\"up\",\"type\":\"counter\"," + start + ",\"value\":10}",
        "\"metric\":{\"name\":\"up\",\"type\":\"histogram\"," + start + ",\"count\":1,\"sum\":0.5,"
            + "\"buckets\":[{\"le\":1,\"count\":1}]}",
        "\"metric\":{\"name\":\"up\",\"type\":\"histogram\"," + start + ",\"count\":1,\"sum\":0.5,"
            + "\"buckets\":[ {\"le\":1,\"count\":1}]}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\"," + start + "}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\"," + start + ",\"value\":11}",
        "\"metric\":{\"value\":12,\"name\":\"up\",\"type\":\"gauge\"," + start + "}",
        "\"metric\":{\"value\":13,\"name\":\"up\",\"type\":\"gauge\"," + start + "}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\"," + start + ",\"value\":14},"
            + "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"value\":15}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"value\":16}",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\"," + start + ",\"value\":17",
        "\"metric\":{\"name\":\"up\",\"type\":\"gauge\"," + start + ",\"value\":18}"), "}");
  }

  /** A repeated labels object is one unmodifiable map; changed ones are read again. */
  @Test
  void repeatedLabelObjectsAreOneUnmodifiableMapAndChangedOnesReadTheSame() throws Exception {
    MetricEnvelope a = (MetricEnvelope) decoder.decode(codec.encode(counter("pod-1", "/a", 1000, 1)));
    MetricEnvelope b = (MetricEnvelope) decoder.decode(codec.encode(counter("pod-1", "/a", 2000, 2)));
    MetricEnvelope c = (MetricEnvelope) decoder.decode(codec.encode(counter("pod-1", "/b", 2000, 3)));
    assertThat(b.labels()).isSameAs(a.labels()).isEqualTo(Map.of("route", "/a"));
    assertThat(c.labels()).isNotSameAs(a.labels()).isEqualTo(Map.of("route", "/b"));
    assertThatThrownBy(() -> b.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    String body = "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1},";
    assertSameOutcomesInTurn(TIMESTAMP + HEADER + body, List.of(
        "\"labels\":{\"a\":\"1\"}",
        "\"labels\":{\"a\":\"1\"}",
        "\"labels\":{\"a\":\"2\"}",
        "\"labels\":{\"a\":\"1\",\"b\":null}",
        "\"labels\":{\"a\":\"1\",\"a\":\"3\"}",
        "\"labels\":{ \"a\" : \"1\" }",
        "\"labels\":{\"a\":1}",
        "\"labels\":{\"a\":\"1\"},\"labels\":{}",
        "\"labels\":{}",
        "\"labels\":{\"a\":\"1\"",
        "\"labels\":{\"a\":\"1\"}"), "}");
  }

  /** Decimal fractions read without Jackson's parser (up to 15 digits) are the doubles Jackson reads. */
  @Test
  void decimalFractionsReadToTheSameDoublesAsThePlainDecode() throws Exception {
    java.util.Random random = new java.util.Random(6);
    String head = TIMESTAMP + HEADER + "\"metric\":{\"name\":\"up\",\"type\":\"gauge\","
        + "\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":";
    for (int i = 0; i < 20_000; i++) {
      int intDigits = 1 + random.nextInt(12);
      int fractionDigits = 1 + random.nextInt(17 - intDigits);
      StringBuilder number = new StringBuilder(random.nextInt(4) == 0 ? "-" : "");
      number.append(intDigits == 1 ? random.nextInt(10) : 1 + random.nextInt(9));
      for (int d = 1; d < intDigits; d++) {
        number.append(random.nextInt(10));
      }
      number.append('.');
      for (int d = 0; d < fractionDigits; d++) {
        number.append(random.nextInt(10));
      }
      byte[] json = (head + number + "}}").getBytes(StandardCharsets.UTF_8);
      MetricEnvelope fast = (MetricEnvelope) decoder.decode(json);
      assertThat(Double.doubleToRawLongBits(fast.value())).as(number.toString())
          .isEqualTo(Double.doubleToRawLongBits(((MetricEnvelope) codec.decode(json)).value()));
    }
    for (String number : List.of("0.0", "-0.0", "0.1", "0.30000000000000004", "123456789012345.6", "9007199254740.993")) {
      assertSameOutcome((head + number + "}}").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static final String HEADER = "\"tributary\":{\"schema\":\"1.0\",\"type\":\"metric\",\"run\":\"r1\","
      + "\"stream\":\"metrics\",\"seq\":3},\"service\":{\"name\":\"a\",\"node\":{\"name\":\"i-1\"}},";
  private static final String TIMESTAMP = "{\"@timestamp\":\"2026-11-23T10:15:30.123Z\",";
  private static final String GAUGE_BODY =
      "\"metric\":{\"name\":\"up\",\"type\":\"gauge\",\"start\":\"2026-11-23T10:00:00.000Z\",\"value\":1}}";

  /** Records {@code head + part + tail}, one per part, through the same decoder in turn. */
  private void assertSameOutcomesInTurn(String head, List<String> parts, String tail) {
    for (String part : parts) {
      assertSameOutcome((head + part + tail).getBytes(StandardCharsets.UTF_8));
    }
  }

  // --- header(): log and event envelopes checked from the bytes ----------------------------------

  @Test
  void everyGoldenExampleHasTheHeaderOfItsDecodedEnvelope() throws Exception {
    for (int pass = 0; pass < 2; pass++) {
      for (String name : Golden.names()) {
        byte[] golden = Golden.bytes(name);
        assertThat(decoder.header(golden)).as(name).isEqualTo(EnvelopeHeader.of(codec.decode(golden)));
      }
    }
    EnvelopeHeader event = decoder.header(Golden.bytes("event.json"));
    assertThat(event.domain()).isEqualTo("payment");
    assertThat(event.identity()).isEqualTo(codec.decode(Golden.bytes("event.json")).identity());
    assertThat(decoder.header(Golden.bytes("log.json")).domain()).isNull();
  }

  @Test
  void logAndEventEnvelopesTakeTheByteLevelPathAndOthersAreDeclined() throws Exception {
    DecodeCache cache = new DecodeCache();
    for (String name : Golden.names()) {
      byte[] golden = Golden.bytes(name);
      boolean scanned = cache.scanner().scanDocument(new EnvelopeReader(cache), golden, 0, golden.length);
      assertThat(scanned).as(name).isEqualTo(name.startsWith("log") || name.startsWith("event"));
    }
    byte[] unicode = codec.encode(log("Zahlung \u00fcber 12 \u20ac abgelehnt \ud83d\ude00 \"quoted\"\n\tnext line",
        Map.of("city", "M\u00fcnchen"), Map.of("note", "\u2603", "nested", Map.of("list", List.of(1, 2.5, true)))));
    assertThat(cache.scanner().scanDocument(new EnvelopeReader(cache), unicode, 0, unicode.length)).isTrue();
    assertThat(decoder.header(unicode)).isEqualTo(EnvelopeHeader.of(codec.decode(unicode)));
  }

  /**
   * Differential test of the byte-level header path: every prefix of every log and event example,
   * and every example with one byte replaced by a troublesome one, gives the header of the plain
   * Jackson decode, or fails with the same reason and message.
   */
  @Test
  void truncatedAndMutatedLogAndEventRecordsGiveTheSameOutcomeAsThePlainDecode() throws Exception {
    byte[] replacements = " \"{}[],:0-.eE+nxu\\/\u0001\t".getBytes(StandardCharsets.ISO_8859_1);
    int compared = 0;
    int scanned = 0;
    DecodeCache cache = new DecodeCache();
    for (String name : Golden.names()) {
      if (!name.startsWith("log") && !name.startsWith("event")) {
        continue;
      }
      byte[] golden = Golden.bytes(name);
      for (int len = 0; len <= golden.length; len++) {
        assertSameHeaderOutcome(java.util.Arrays.copyOf(golden, len));
        compared++;
      }
      for (int at = 0; at < golden.length; at++) {
        for (byte r : replacements) {
          byte[] mutated = golden.clone();
          mutated[at] = r;
          assertSameHeaderOutcome(mutated);
          if (cache.scanner().scanDocument(new EnvelopeReader(cache), mutated, 0, mutated.length)) {
            scanned++;
          }
          compared++;
        }
        for (byte nonAscii : new byte[] {(byte) 0xC3, (byte) 0x80, (byte) 0xFF}) {
          byte[] mutated = golden.clone();
          mutated[at] = nonAscii;
          assertSameHeaderOutcome(mutated);
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(20_000);
    assertThat(scanned).as("mutations the byte-level path accepted").isGreaterThan(5_000);
  }

  @Test
  void stringContentsAreCheckedAsTheJacksonPathChecksThem() throws Exception {
    String header = "{\"@timestamp\":\"2026-11-23T10:15:30.123Z\",\"tributary\":{\"schema\":\"1.0\",\"type\":\"log\","
        + "\"run\":\"r1\",\"stream\":\"logs\",\"seq\":3},\"service\":{\"name\":\"svc\",\"node\":{\"name\":\"i-1\"}},"
        + "\"log\":{\"level\":\"INFO\"},";
    List<byte[]> contents = new ArrayList<>();
    for (String escape : List.of("\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\uD83D\\uDE00",
        "\\ud800", "\\uDFFF", "\\uABCD", "\\x", "\\u12G4", "\\u12", "\\", "\\'", "\\0", "\u007f")) {
      contents.add(escape.getBytes(StandardCharsets.ISO_8859_1));
    }
    int[][] sequences = {{0xC3, 0xA9}, {0xE2, 0x82, 0xAC}, {0xF0, 0x9F, 0x98, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF},
        {0x80}, {0xBF}, {0xC0, 0x80}, {0xC1, 0xBF}, {0xC2}, {0xE0, 0x80, 0x80}, {0xE0, 0xA0}, {0xED, 0xA0, 0x80},
        {0xED, 0x9F, 0xBF}, {0xEF, 0xBF, 0xBF}, {0xF0, 0x80, 0x80, 0x80}, {0xF4, 0x90, 0x80, 0x80},
        {0xF5, 0x80, 0x80, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80}, {0xFF}, {0xC3, 0x28}, {0xE2, 0x28, 0xA1},
        {0xF0, 0x9F, 0x98}, {0x01}, {0x1F}, {0x0A}};
    for (int[] sequence : sequences) {
      byte[] bytes = new byte[sequence.length];
      for (int i = 0; i < sequence.length; i++) {
        bytes[i] = (byte) sequence[i];
      }
      contents.add(bytes);
    }
    for (byte[] content : contents) {
      for (String[] place : new String[][] {{"\"message\":\"a", "b\"}"}, {"\"message\":\"", "\"}"},
          {"\"message\":\"m\",\"labels\":{\"k\":\"", "\"}}"}, {"\"message\":\"m\",\"tags\":[\"x\",\"", "\"]}"},
          {"\"message\":\"m\",\"fields\":{\"k\":[{\"a\":\"", "\"}]}}"}, {"\"message\":\"m\",\"zz\":\"", "\"}"},
          {"\"message\":\"m\",\"error\":{\"type\":\"E\",\"stack_trace\":\"", "\"}}"}}) {
        byte[] before = (header + place[0]).getBytes(StandardCharsets.ISO_8859_1);
        byte[] after = place[1].getBytes(StandardCharsets.ISO_8859_1);
        byte[] json = new byte[before.length + content.length + after.length];
        System.arraycopy(before, 0, json, 0, before.length);
        System.arraycopy(content, 0, json, before.length, content.length);
        System.arraycopy(after, 0, json, before.length + content.length, after.length);
        assertSameHeaderOutcome(json);
      }
    }
  }

  @Test
  void unusualButValidLogAndEventJsonReadsTheSame() throws Exception {
    String tributary = "\"tributary\":{\"schema\":\"1.0\",\"type\":\"log\",\"run\":\"r1\",\"stream\":\"logs\",\"seq\":3,"
        + "\"extra\":[1,{\"a\":[true,false,null]}]}";
    String header = "\"@timestamp\":\"2026-11-23T10:15:30.123Z\"," + tributary
        + ",\"service\":{\"name\":\"svc\",\"version\":null,\"node\":{\"name\":\"i-1\",\"x\":1}},\"zz\":{}";
    String event = header.replace("\"type\":\"log\"", "\"type\":\"event\"");
    List<String> bodies = List.of(
        header + ",\"log\":{\"level\":\"INFO\",\"logger\":null},\"message\":\"m\"",
        header + ",\"log\":{\"level\":null},\"message\":\"m\"",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":null",
        header + ",\"log\":{\"level\":\"INFO\"}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"message\":null",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":null,\"message\":\"m\"",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":7",
        header + ",\"log\":{\"level\":[\"INFO\"]},\"message\":\"m\"",
        header + ",\"log\":[],\"message\":\"m\"",
        header + ",\"log\":{\"level\":\"INFO\",\"origin\":{\"file\":{\"name\":\"A.java\",\"line\":12},\"function\":\"f\"}},\"message\":\"m\"",
        header + ",\"log\":{\"level\":\"INFO\",\"origin\":{\"file\":{\"line\":1.5}}},\"message\":\"m\"",
        header + ",\"log\":{\"level\":\"INFO\",\"origin\":{\"file\":{\"line\":12345678901234567890}}},\"message\":\"m\"",
        header + ",\"log\":{\"level\":\"INFO\",\"origin\":{\"file\":\"A.java\"}},\"message\":\"m\"",
        header + ",\"log\":{\"level\":\"INFO\",\"origin\":null},\"message\":\"m\"",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"error\":{\"message\":\"no type\"}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"error\":{\"type\":null,\"stack_trace\":null}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"error\":{\"type\":\"E\",\"x\":{}}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"error\":\"E\"",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"process\":{\"thread\":{\"name\":1}}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"process\":{\"pid\":1,\"thread\":{\"id\":2}}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"process\":{\"thread\":\"t\"}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"trace\":{\"id\":null,\"x\":[]},\"span\":{}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"correlation\":{\"id\":false}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"correlation\":\"c\"",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"labels\":{\"a\":\"1\",\"b\":null},\"labels\":{}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"labels\":{\"a\":1}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"labels\":[]",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"fields\":{\"a\":-0.5e+3,\"b\":[[],{}],\"c\":null}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"fields\":{\"big\":123456789012345678901234567890}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"fields\":{\"a\":01}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"fields\":[1]",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"fields\":null",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"fields\":" + "[".repeat(70) + "]".repeat(70),
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"fields\":{\"" + "k".repeat(60_000) + "\":1}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"tags\":[]",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"tags\":[\"a\",null,\"b\"]",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"tags\":[\"a\",[]]",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"tags\":\"a\"",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"metric\":{\"name\":\"x\"}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"health\":{\"status\":\"UP\"}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"event\":{\"domain\":7}",
        header + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\",\"event\":{\"domain\":\"d\"}",
        header.replace("\"type\":\"log\"", "\"type\":\"metric\"") + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\"",
        header.replace("\"type\":\"log\"", "\"type\":\"trace\"") + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\"",
        header.replace("\"1.0\"", "\"2.0\"") + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\"",
        header.replace("\"1.0\"", "\"2.0\"") + ",\"log\":{\"level\":7},\"message\":\"m\"",
        header.replace("\"seq\":3", "\"seq\":-1") + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\"",
        header.replace("\"svc\"", "\"s\\u00e9rvice\"") + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\"",
        header.replace("\"svc\"", "\"s\u00e9rvice\"") + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\"",
        header.replace("10:15:30.123Z", "10:15:30+02:00") + ",\"log\":{\"level\":\"INFO\"},\"message\":\"m\"",
        event + ",\"event\":{\"domain\":\"payment\",\"name\":\"payment.completed\",\"entity_id\":null},\"attributes\":{}",
        event + ",\"event\":{\"domain\":\"payment\"}",
        event + ",\"event\":{\"name\":\"n\"}",
        event + ",\"event\":{\"domain\":null,\"name\":\"n\"}",
        event + ",\"event\":{\"domain\":\"p\\u00e4y\",\"name\":\"n\"}",
        event + ",\"event\":{\"domain\":\"p\",\"name\":\"n\",\"entity_id\":5}",
        event + ",\"event\":{\"domain\":\"p\",\"name\":\"n\"},\"attributes\":\"x\"");
    for (String body : bodies) {
      for (String json : List.of("{" + body + "}", " {\n\t" + body.replace(",\"", " ,\r\n \"").replace("\":", "\" : ")
          + " } trailing", "{}", "[" + body + "]")) {
        assertSameHeaderOutcome(json.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private void assertSameHeaderOutcome(byte[] bytes) {
    String what = new String(bytes, StandardCharsets.ISO_8859_1);
    Object expected;
    try {
      expected = EnvelopeHeader.of(codec.decode(bytes));
    } catch (EnvelopeException e) {
      expected = e.reason() + ": " + e.getMessage();
    }
    Object actual;
    try {
      actual = decoder.header(bytes);
    } catch (EnvelopeException e) {
      actual = e.reason() + ": " + e.getMessage();
    } catch (RuntimeException e) {
      throw new AssertionError("header() threw " + e + " on " + what, e);
    }
    assertThat(actual).as(what).isEqualTo(expected);
  }

  private static LogEnvelope log(String message, Map<String, String> labels, Map<String, Object> fields) {
    return new LogEnvelope(1_700_000_000_123L, new Source("shop", "pod-1", "1.0", "prod", "run-1"), "logs", 7, "INFO",
        "com.example.Shop", "main", message, labels, fields, List.of("AUDIT"), null, null, "c-1", null, null);
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
