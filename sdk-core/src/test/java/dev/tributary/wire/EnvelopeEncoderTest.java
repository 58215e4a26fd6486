package dev.tributary.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The I/O thread's reusable encoder writes exactly what the plain codec writes. */
class EnvelopeEncoderTest {
  private final EnvelopeCodec codec = EnvelopeCodec.create();

  @Test
  void everyGoldenEnvelopeEncodesToTheSameBytesAgainAndAgain() throws Exception {
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    for (int round = 0; round < 3; round++) {
      for (String name : Golden.names()) {
        byte[] golden = Golden.bytes(name);
        assertThat(encoder.encode(codec.decode(golden))).as(name).isEqualTo(golden);
      }
    }
  }

  @Test
  void changingSendersStreamsAndSequenceNumbersNeverReuseAStaleHeader() {
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    Source a = new Source("svc-a", "a-1", "1.0", null, "run-a");
    Source b = new Source("svc \"b\"", "b-1", null, "prod", "run-b");
    List<Envelope> envelopes = new ArrayList<>();
    for (long seq = 1; seq <= 20; seq++) {
      Source s = seq % 3 == 0 ? b : a;
      envelopes.add(new EventEnvelope(1000 + seq, s, seq % 2 == 0 ? "payment.events" : "order.events", seq * 997,
          "payment", "x", "e-" + seq, Map.of("i", seq), null, null, null));
      envelopes.add(new LogEnvelope(1000 + seq, s, "logs", seq, "INFO", null, null, "m" + seq, null, null, null,
          null, null, null, null, null));
    }
    for (Envelope e : envelopes) {
      assertThat(new String(encoder.encode(e))).isEqualTo(new String(codec.encode(e)));
    }
  }

  @Test
  void aFailedRecordDoesNotCorruptTheNext() {
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    Source s = new Source("svc", "i", null, null, "r");
    Map<String, Object> attributes = new java.util.AbstractMap<>() {
      @Override
      public java.util.Set<Entry<String, Object>> entrySet() {
        throw new IllegalStateException("map exploded halfway through a record");
      }
    };
    EventEnvelope bad = new EventEnvelope(1, s, "x.events", 1, "x", "bad", null, attributes, null, null, null);
    EventEnvelope good = new EventEnvelope(2, s, "x.events", 2, "x", "good", null, Map.of(), null, null, null);
    try {
      encoder.encode(bad);
    } catch (IllegalStateException expected) {
      // the I/O thread counts and drops such a record
    }
    assertThat(encoder.encode(good)).isEqualTo(codec.encode(good));
  }

  @Test
  void recordsWithinOneMillisecondAndAcrossMillisecondsKeepTheirOwnTimestampAndSequence() {
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    Source s = new Source("svc", "i", null, null, "r");
    long[] millis = {1_700_000_000_000L, 1_700_000_000_000L, 1_700_000_000_001L, 1_700_000_000_001L, 0L,
        1_700_000_000_000L, 253_402_300_799_999L};
    long[] seqs = {0, 9, 10, 99, 1_000_000, Long.MAX_VALUE, 7};
    for (int i = 0; i < millis.length; i++) {
      LogEnvelope e = new LogEnvelope(millis[i], s, "logs", seqs[i], "INFO", null, null, "m", null, null, null, null,
          null, null, null, null);
      assertThat(new String(encoder.encode(e))).isEqualTo(new String(codec.encode(e)));
    }
  }

  @Test
  void senderNamesWithSurrogatesAreEscapedInTheCachedHeaderAsInEveryOtherString() throws Exception {
    // The cached header once went through a character-based generator: an emoji came out as 4-byte
    // UTF-8 there (and \uD83D\uDE00 everywhere else), a lone surrogate failed every record.
    EnvelopeCodec.Encoder encoder = codec.newEncoder();
    Source s = new Source("svc-\ud83d\ude00", "i-\ud800", null, null, "r");
    EventEnvelope e = new EventEnvelope(1, s, "x.events", 1, "x", "n-\ud83d\ude00", null, Map.of(), null, null, null);

    String json = new String(encoder.encode(e), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(json).contains("\"name\":\"svc-\\uD83D\\uDE00\"", "\"name\":\"i-\\uD800\"", "\"n-\\uD83D\\uDE00\"");
    assertThat(codec.decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(e);
  }
}
