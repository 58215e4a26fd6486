package dev.tributary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.LogEntry;
import dev.tributary.LogLevel;
import dev.tributary.OverflowPolicy;
import dev.tributary.StreamKind;
import dev.tributary.wire.Envelope;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.EnvelopeType;
import dev.tributary.wire.Source;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Log records encoded on the caller's thread carry the bytes the I/O thread would have written. */
class CallerEncodersTest {
  private final Source source = new Source("svc", "svc-1", "1.2", null, "run-1");
  private final Channel logs = new Channel(StreamKind.LOGS, 16, OverflowPolicy.DROP_NEWEST, false);
  private final Pipeline pipeline = new Pipeline(source, 100, 1000, logs);

  private LogItem item(long seq, String message) {
    LogEntry entry = LogEntry.builder(LogLevel.WARN, message).fields(Map.of("order", "o-1")).logger("a.B").build();
    return new LogItem(entry, seq, 1_700_000_000_000L + seq, "worker-1", "corr-" + seq, null, "logs.events", null);
  }

  @Test
  void encodesToTheBytesOfThePlainCodec() {
    CallerEncoders encoders = new CallerEncoders(2, pipeline);
    for (long seq = 1; seq <= 5; seq++) {
      LogItem encoded = item(seq, "message " + seq);
      Envelope expected = item(seq, "message " + seq).envelope(pipeline);

      assertThat(encoders.tryEncode(encoded)).isTrue();

      assertThat(encoded.encoded()).isEqualTo(EnvelopeCodec.create().encode(expected));
      assertThat(encoded.encodedType()).isEqualTo(EnvelopeType.LOG);
    }
  }

  @Test
  void aTruncatedMessageIsCountedOnce() {
    CallerEncoders encoders = new CallerEncoders(1, pipeline);
    LogItem item = item(1, "x".repeat(500));

    assertThat(encoders.tryEncode(item)).isTrue();

    assertThat(logs.truncated.sum()).isEqualTo(1);
  }

  @Test
  void whenEverySlotItMayUseIsTakenTheRecordIsLeftToTheIoThread() {
    CallerEncoders encoders = new CallerEncoders(1, pipeline);
    LogItem inner = item(2, "inner");
    AtomicBoolean innerEncoded = new AtomicBoolean(true);
    // While the only slot is in use (this item's envelope is being built), another record on the
    // same thread finds no free slot: it must not wait, and stays unencoded.
    Outbound outer = new Outbound(1, 1L, "logs.events", null) {
      @Override
      Envelope envelope(Pipeline p) {
        innerEncoded.set(encoders.tryEncode(inner));
        return item(1, "outer").envelope(p);
      }
    };

    assertThat(encoders.tryEncode(outer)).isTrue();

    assertThat(innerEncoded).isFalse();
    assertThat(inner.encoded()).isNull();
    assertThat(encoders.tryEncode(inner)).as("the slot is free again").isTrue();
  }

  @Test
  void aRecordThatCannotBeEncodedIsLeftAsItWas() {
    CallerEncoders encoders = new CallerEncoders(1, pipeline);
    Outbound broken = new Outbound(1, 1L, "logs.events", null) {
      @Override
      Envelope envelope(Pipeline p) {
        throw new IllegalStateException("a field's toString exploded");
      }
    };

    assertThat(encoders.tryEncode(broken)).isFalse();

    assertThat(broken.encoded()).isNull();
    assertThat(encoders.tryEncode(item(2, "next"))).isTrue();
  }
}
