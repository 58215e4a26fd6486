package dev.tributary.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-level log writer against the Jackson writer it replaced ({@link JacksonLogReference}):
 * byte for byte, on generated records with every kind of text JSON has to escape, every optional
 * part present or absent, and the writer's caches (header, timestamp, repeated strings) reused
 * across records as on the I/O thread.
 */
class LogEnvelopeWriterTest {
  private final EnvelopeCodec codec = EnvelopeCodec.create();

  private static final Source[] SOURCES = {
      new Source("checkout", "checkout-7f9c4", "1.4.2", "prod", "5f1f2c1e-8a3b-4c1d-9e2f-0a1b2c3d4e5f"),
      new Source("svc \"quoted\" \\ back", "i\n1", null, null, "run\u0000\u001f"),
      new Source("sérvice-ü", "\ud83d\ude00-instance", "v\u2028", "env\ud800", "r"),
      new Source("s", "i", null, "staging", "r2"),
  };

  @Test
  void generatedRecordsEncodeToTheJacksonWritersBytes() {
    Random random = new Random(20261123);
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    for (int i = 0; i < 20_000; i++) {
      LogEnvelope e = generate(random, i);
      byte[] expected = JacksonLogReference.encode(e);
      assertThat(encoder.encode(e)).as("record %d: %s", i, e).isEqualTo(expected);
      if (i % 50 == 0) {
        assertThat(codec.encode(e)).as("record %d, one-shot codec", i).isEqualTo(expected);
      }
    }
  }

  @Test
  void everyCharacterIsEscapedAsJacksonEscapesIt() {
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    Source s = SOURCES[0];
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String one = String.valueOf((char) c);
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("k" + one, one + "v");
      // The message is written directly, the logger and label key through the repeated-strings cache.
      LogEnvelope e = new LogEnvelope(1_700_000_000_000L + c, s, "logs", c, "INFO", one, "t" + one, "m" + one + "m",
          labels, null, List.of(one), null, null, one, null, null);
      assertThat(encoder.encode(e)).as("U+%04X", c).isEqualTo(JacksonLogReference.encode(e));
    }
  }

  @Test
  void longTextWithEscapesAndSurrogatesAtEveryChunkBoundary() {
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    String[] pieces = {"\"", "\\", "\n", "\u0001", "é", "\u20ac", "\ud83d\ude00", "\ud83d", "x"};
    for (int length : new int[] {1023, 1024, 1025, 2047, 2048, 2049, 5000, 100_000}) {
      for (String piece : pieces) {
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
          b.append('a');
          if (b.length() % 1024 >= 1021) {
            b.append(piece);
          }
        }
        String text = b.toString();
        LogEnvelope e = new LogEnvelope(1L, SOURCES[0], "logs", 1, "WARN", text, text, text, Map.of("k", text),
            null, null, new LogEnvelope.ErrorInfo(text, text, text), null, null, null, null);
        assertThat(encoder.encode(e)).as("length %d, piece %s", length, piece).isEqualTo(JacksonLogReference.encode(e));
      }
    }
  }

  @Test
  void equalStringsOfOtherInstancesAndCollidingHashesNeverGetAnotherStringsBytes() {
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    // "Aa" and "BB" have the same hashCode; new String(...) makes equal strings that are other instances.
    List<String> loggers = new ArrayList<>(List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"));
    for (int i = 0; i < 3000; i++) {
      loggers.add("com.example.Logger" + i);
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < loggers.size(); i++) {
        String logger = round == 1 ? new String(loggers.get(i).toCharArray()) : loggers.get(i);
        String thread = loggers.get((i * 7 + round) % loggers.size());
        LogEnvelope e = new LogEnvelope(1L, SOURCES[i % 2], "logs", i, "INFO", logger, thread, "m", null, null, null,
            null, null, null, null, null);
        assertThat(new String(encoder.encode(e), StandardCharsets.UTF_8))
            .isEqualTo(new String(JacksonLogReference.encode(e), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void aNullLabelKeyFailsThatRecordOnlyAsJacksonDid() {
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("a", "1");
    labels.put(null, "2");
    LogEnvelope bad = new LogEnvelope(1L, SOURCES[0], "logs", 1, "INFO", null, null, "m", labels, null, null, null,
        null, null, null, null);
    assertThatThrownBy(() -> JacksonLogReference.encode(bad)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> encoder.encode(bad)).isInstanceOf(NullPointerException.class);

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("n", 1);
    LogEnvelope good = new LogEnvelope(2L, SOURCES[0], "logs", 2, "INFO", null, null, "m", Map.of("a", "1"), fields,
        null, null, null, null, null, null);
    assertThat(encoder.encode(good)).isEqualTo(JacksonLogReference.encode(good));
  }

  @Test
  void aFieldValueThatThrowsMidRecordDoesNotCorruptTheNext() {
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    Map<String, Object> exploding = new LinkedHashMap<>();
    exploding.put("ok", "fine");
    exploding.put("boom", List.of("before", new java.util.AbstractMap<String, Object>() {
      @Override
      public java.util.Set<Entry<String, Object>> entrySet() {
        throw new IllegalStateException("map exploded halfway through a record");
      }
    }));
    LogEnvelope bad = new LogEnvelope(1L, SOURCES[0], "logs", 1, "INFO", null, null, "m", null, exploding, null,
        null, null, null, null, null);
    assertThatThrownBy(() -> encoder.encode(bad)).isInstanceOf(IllegalStateException.class);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("n", List.of(1, Map.of("x", "y")));
    LogEnvelope good = new LogEnvelope(2L, SOURCES[0], "logs", 2, "INFO", null, null, "m", null, fields, null, null,
        null, null, null, null);
    assertThat(encoder.encode(good)).isEqualTo(JacksonLogReference.encode(good));
  }

  // --- generated records --------------------------------------------------------------------

  private static LogEnvelope generate(Random r, int i) {
    long timestamp = switch (r.nextInt(6)) {
      case 0 -> 0L;
      case 1 -> 253_402_300_799_999L;
      default -> 1_700_000_000_000L + i / 7;
    };
    long seq = switch (r.nextInt(8)) {
      case 0 -> 0;
      case 1 -> Long.MAX_VALUE;
      case 2 -> -r.nextInt(1000);
      default -> i;
    };
    String[] levels = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};
    String level = r.nextInt(20) == 0 ? text(r, 6) : levels[r.nextInt(levels.length)];
    String logger = r.nextInt(4) == 0 ? null : r.nextInt(3) == 0 ? text(r, 40) : "com.acme.Logger" + r.nextInt(20);
    String thread = r.nextInt(4) == 0 ? null : r.nextInt(3) == 0 ? text(r, 30) : "worker-" + r.nextInt(8);
    String message = r.nextInt(30) == 0 ? text(r, 3000 + r.nextInt(5000)) : text(r, r.nextInt(300));
    Map<String, String> labels = r.nextInt(3) == 0 ? null : labels(r);
    Map<String, Object> fields = r.nextInt(3) == 0 ? null : fields(r, 0);
    List<String> tags = null;
    if (r.nextInt(3) == 0) {
      tags = new ArrayList<>();
      for (int t = r.nextInt(4); t > 0; t--) {
        tags.add(r.nextInt(10) == 0 ? null : text(r, 12));
      }
    }
    LogEnvelope.ErrorInfo error = r.nextInt(4) != 0 ? null : new LogEnvelope.ErrorInfo(
        r.nextBoolean() ? "java.lang.IllegalStateException" : text(r, 20),
        r.nextInt(3) == 0 ? null : text(r, 80),
        r.nextInt(3) == 0 ? null : text(r, 200 + r.nextInt(3000)));
    LogEnvelope.LogOrigin origin = r.nextInt(4) != 0 ? null : new LogEnvelope.LogOrigin(
        r.nextInt(3) == 0 ? null : text(r, 20), r.nextInt(3) == 0 ? -r.nextInt(10) : r.nextInt(100_000),
        r.nextInt(3) == 0 ? null : text(r, 20));
    String correlation = r.nextInt(3) == 0 ? null : text(r, 36);
    String traceId = r.nextInt(3) == 0 ? null : text(r, 32);
    String spanId = r.nextInt(3) == 0 ? null : text(r, 16);
    Source source = SOURCES[r.nextInt(SOURCES.length)];
    String stream = r.nextInt(10) == 0 ? "logs-\"" + r.nextInt(3) : "logs";
    return new LogEnvelope(timestamp, source, stream, seq, level, logger, thread, message, labels, fields, tags, error,
        origin, correlation, traceId, spanId);
  }

  private static Map<String, String> labels(Random r) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int n = r.nextInt(5); n > 0; n--) {
      labels.put(r.nextBoolean() ? "tenant" + r.nextInt(3) : text(r, 10), r.nextInt(10) == 0 ? null : text(r, 30));
    }
    return labels;
  }

  private enum Colour { RED, GREEN }

  private static Map<String, Object> fields(Random r, int depth) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int n = r.nextInt(5); n > 0; n--) {
      fields.put(text(r, 10), value(r, depth));
    }
    return fields;
  }

  private static Object value(Random r, int depth) {
    return switch (r.nextInt(depth > 2 ? 12 : 15)) {
      case 0 -> null;
      case 1 -> text(r, 40);
      case 2 -> r.nextInt();
      case 3 -> r.nextLong();
      case 4 -> r.nextDouble() * 1e6;
      case 5 -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e-300, 42.5}[r.nextInt(5)];
      case 6 -> r.nextFloat();
      case 7 -> r.nextBoolean();
      case 8 -> new BigDecimal("12345678901234567890.000123");
      case 9 -> BigInteger.TWO.pow(70);
      case 10 -> r.nextBoolean() ? Colour.RED : Instant.ofEpochMilli(r.nextLong() >>> 24);
      case 11 -> new StringBuilder(text(r, 5));
      case 12 -> fields(r, depth + 1);
      case 13 -> List.of(text(r, 4), r.nextInt(10), List.of(r.nextBoolean()));
      default -> new Object[] {text(r, 3), null, (short) 7, (byte) -1};
    };
  }

  /** Text of about {@code length} characters, mixing everything a JSON writer has to treat specially. */
  static String text(Random r, int length) {
    StringBuilder b = new StringBuilder(length + 2);
    while (b.length() < length) {
      int kind = r.nextInt(20);
      switch (kind) {
        case 0 -> b.append((char) r.nextInt(0x20));
        case 1 -> b.append(new char[] {'"', '\\', '/', '\u007f', '\''}[r.nextInt(5)]);
        case 2 -> b.append((char) (0x80 + r.nextInt(0x80)));
        case 3 -> b.append((char) (0x100 + r.nextInt(0x700)));
        case 4 -> b.append((char) (0x800 + r.nextInt(0xD000)));
        case 5 -> b.append(Character.toChars(0x10000 + r.nextInt(0xF0000)));
        case 6 -> b.append((char) (Character.MIN_SURROGATE + r.nextInt(0x800)));
        case 7 -> b.append(new char[] {'\u2028', '\u2029', '\ufeff', '\uffff', '\ue000'}[r.nextInt(5)]);
        default -> b.append((char) (0x20 + r.nextInt(0x5f)));
      }
    }
    return b.toString();
  }

  @Test
  void theGeneratorCoversWhatItClaims() {
    // Guards the generator itself: the differential test is only as good as what it feeds in.
    Random r = new Random(1);
    String sample = text(r, 100_000);
    assertThat(sample).contains("\"", "\\", "\n", "\u007f", "\u2028");
    assertThat(sample.chars().anyMatch(c -> Character.isHighSurrogate((char) c))).isTrue();
    assertThat(sample.chars().anyMatch(c -> c < 0x20 && c != '\n')).isTrue();
    assertThat(sample.codePoints().anyMatch(Character::isSupplementaryCodePoint)).isTrue();
  }
}
