package dev.tributary.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.wire.MetricEnvelope.MetricKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SeriesDecoder}: the envelope (or the rejection) of every record is exactly the plain
 * decoder's, whether the record was read as a repeat of its series' template or decoded.
 */
class SeriesDecoderTest {
  private static final long T0 = 1_764_000_000_000L;
  private final EnvelopeCodec codec = EnvelopeCodec.create();

  @Test
  void stepsOfSeveralSendersAreReadAsRepeatsAfterTheFirstAndDecodeAsThePlainDecoder() throws Exception {
    SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), 1000);
    int senders = 3;
    int series = 12;
    int steps = 6;
    for (int step = 0; step < steps; step++) {
      for (int s = 0; s < senders; s++) {
        byte[] head = null;
        for (int k = 0; k < series; k++) {
          MetricEnvelope sent = sample("pod-" + s, k, step);
          byte[] bytes = codec.encode(sent);
          Envelope decoded = decoder.decode(key(sent), bytes);
          assertThat(decoded).as("step %d, sender %d, series %d", step, s, k).isEqualTo(codec.decode(bytes))
              .isEqualTo(sent);
          // A sender's series share the bytes before their metric object.
          assertThat(decoder.template().head).isSameAs(head == null ? decoder.template().head : head);
          head = decoder.template().head;
        }
      }
      // From the second step on, every record repeats its series' previous one, but the first of
      // each sender at the second step: nothing followed the sender's last series before.
      long expected = step == 0 ? 0 : senders * (series - 1) + (long) (step - 1) * senders * series;
      assertThat(decoder.repeats()).as("repeats after step %d", step).isEqualTo(expected);
    }
    assertThat(decoder.size()).isEqualTo(senders * series);
  }

  @Test
  void aRecordOfAnotherSeriesThanPredictedOrWithoutAKeyIsDecodedAsThePlainDecoder() throws Exception {
    SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), 1000);
    List<MetricEnvelope> step0 = List.of(sample("pod-1", 0, 0), sample("pod-1", 1, 0), sample("pod-1", 2, 0));
    for (MetricEnvelope e : step0) {
      decoder.decode(key(e), codec.encode(e));
    }
    // The next step in another order (a new series first, one left out), then one without a key.
    List<MetricEnvelope> step1 = List.of(sample("pod-1", 7, 1), sample("pod-1", 2, 1), sample("pod-1", 0, 1));
    for (MetricEnvelope e : step1) {
      assertThat(decoder.decode(key(e), codec.encode(e))).isEqualTo(e);
    }
    MetricEnvelope keyless = sample("pod-1", 1, 1);
    assertThat(decoder.decode(null, codec.encode(keyless))).isEqualTo(keyless);
    // And the order of step 1 is what is predicted at step 2.
    long before = decoder.repeats();
    for (MetricEnvelope e : List.of(sample("pod-1", 7, 2), sample("pod-1", 2, 2), sample("pod-1", 0, 2))) {
      assertThat(decoder.decode(key(e), codec.encode(e))).isEqualTo(e);
    }
    assertThat(decoder.repeats() - before).isEqualTo(2); // series 1 followed series 0 at step 0, not 7
  }

  @Test
  void everyGoldenMetricRepeatsItselfAndItsChangedNumbers() throws Exception {
    SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), 1000);
    byte[] key = "checkout/checkout-7f9c4".getBytes(StandardCharsets.UTF_8);
    List<String> metrics = Golden.names().stream().filter(n -> n.startsWith("metric-")).toList();
    assertThat(metrics).hasSize(4);
    for (int pass = 0; pass < 3; pass++) {
      for (String name : metrics) {
        String json = new String(Golden.bytes(name), StandardCharsets.UTF_8).strip();
        if (pass == 2) { // the next step: every number that changes between samples changes
          json = json.replace("10:15:30.123Z\",\"tributary", "10:15:40.123Z\",\"tributary")
              .replace("\"seq\":10", "\"seq\":20").replace("1234.0", "1300.5").replace("\"value\":7.0", "\"value\":-2")
              .replace("\"count\":120", "\"count\":131").replace("\"sum\":21.75", "\"sum\":2.5e1")
              .replace("\"count\":80", "\"count\":90").replace("\"value\":\"NaN\"", "\"value\":0.25");
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThat(decoder.decode(key, bytes)).as(name + ", pass " + pass).isEqualTo(codec.decode(bytes));
      }
    }
    assertThat(decoder.repeats()).isEqualTo(3 + 4); // pass 1's first record followed nothing yet
  }

  /**
   * Single-byte changes of records that would repeat their template (digits, signs, quotes,
   * brackets, letters, whitespace, anywhere in the record): the outcome is always the plain
   * decoder's, envelope or rejection with its reason and message.
   */
  @Test
  void changedBytesAnywhereGiveThePlainDecodersEnvelopeOrRejection() throws Exception {
    Random random = new Random(20261124);
    byte[] replacements = "0123456789-+.eE\"{}[],: aN\\x".getBytes(StandardCharsets.US_ASCII);
    int repeatedChanged = 0;
    for (MetricKind kind : MetricKind.values()) {
      MetricEnvelope first = sample("pod-9", kind.ordinal(), 0, kind);
      byte[] next = codec.encode(sample("pod-9", kind.ordinal(), 1, kind));
      for (int i = 0; i < 3000; i++) {
        SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), 10);
        byte[] key = key(first);
        decoder.decode(key, codec.encode(first));
        decoder.decode(key, codec.encode(sample("pod-9", 99, 0, kind))); // so that `first` is predicted next
        decoder.decode(key, codec.encode(first));
        decoder.decode(key, codec.encode(sample("pod-9", 99, 0, kind)));
        byte[] mutated = next.clone();
        int at = random.nextInt(mutated.length);
        mutated[at] = replacements[random.nextInt(replacements.length)];
        if (random.nextInt(10) == 0) { // sometimes a byte more or less
          mutated = random.nextBoolean() ? insert(mutated, at, (byte) ' ') : remove(mutated, at);
        }
        byte[] changed = mutated;
        long repeatsBefore = decoder.repeats();
        assertThat(outcome(() -> decoder.decode(key, changed)))
            .as("%s record with byte %d changed: %s", kind, at, new String(changed, StandardCharsets.UTF_8))
            .isEqualTo(outcome(() -> codec.decode(changed)));
        repeatedChanged += (int) (decoder.repeats() - repeatsBefore);
      }
    }
    assertThat(repeatedChanged).as("changed records read as repeats (digits that stay numbers)").isGreaterThan(200);
  }

  @Test
  void valuesTheDecoderRefusesOrReadsOnItsOwnPathAreNotTakenFromTheTemplatePath() throws Exception {
    MetricEnvelope histogram = sample("pod-2", 3, 0, MetricKind.HISTOGRAM);
    String json = new String(codec.encode(histogram), StandardCharsets.UTF_8);
    String count = "\"count\":" + histogram.histogram().count();
    String seq = "\"seq\":" + histogram.seq();
    List<String> variants = List.of(
        json.replace(seq, "\"seq\":-4"), // build() refuses a negative seq
        json.replace(count + ",", "\"count\":-1,"), // and a negative count
        json.replace(seq, "\"seq\":1234567890123456789"), // 19 digits: the Jackson path reads it
        json.replace("\"sum\":0.5", "\"sum\":\"NaN\""), // a NaN sum is refused
        json.replace(seq, "\"seq\": 12"), // whitespace inside a slot's value
        json.replace(seq, seq + ",\"seq\":13"), // a value given twice: the last counts
        json.replace("\"count\":2}", "\"count\":-2}"), // a negative bucket count
        json.replace("\"count\":2}", "\"count\":2.5}")); // a fraction where a count is an integer
    for (String variant : variants) {
      assertThat(variant).isNotEqualTo(json);
      SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), 10);
      byte[] key = key(histogram);
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      decoder.decode(key, bytes);
      decoder.decode(key, bytes); // the template now predicts itself
      byte[] changed = variant.getBytes(StandardCharsets.UTF_8);
      assertThat(outcome(() -> decoder.decode(key, changed))).as(variant).isEqualTo(outcome(() -> codec.decode(changed)));
    }
  }

  @Test
  void aTemplateWithAValueGivenTwiceReadsBothAndTheLastCountsAsInThePlainDecode() throws Exception {
    MetricEnvelope counter = sample("pod-5", 0, 0, MetricKind.COUNTER);
    String json = new String(codec.encode(counter), StandardCharsets.UTF_8);
    String seq = "\"seq\":" + counter.seq();
    String twice = json.replace(seq, seq + ",\"seq\":7");
    SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), 10);
    byte[] key = key(counter);
    decoder.decode(key, twice.getBytes(StandardCharsets.UTF_8));
    decoder.decode(key, twice.getBytes(StandardCharsets.UTF_8));
    for (String next : List.of(json.replace(seq, "\"seq\":55,\"seq\":8"), json.replace(seq, "\"seq\":9,\"seq\":56"))) {
      byte[] bytes = next.getBytes(StandardCharsets.UTF_8);
      long before = decoder.repeats();
      assertThat(decoder.decode(key, bytes)).as(next).isEqualTo(codec.decode(bytes));
      assertThat(decoder.repeats()).isEqualTo(before + 1);
    }
  }

  @Test
  void aFullTableDropsTheTemplatesNotUsedSinceItWasLastFull() throws Exception {
    SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), 4);
    for (int step = 0; step < 8; step++) {
      long before = decoder.repeats();
      for (int k = 0; k < 6; k++) { // more live series than templates
        MetricEnvelope e = sample("pod-3", k, step);
        assertThat(decoder.decode(key(e), codec.encode(e))).isEqualTo(e);
        assertThat(decoder.size()).isLessThanOrEqualTo(4);
      }
      if (step >= 2) { // the series that have a template keep it: no sweep empties the table
        assertThat(decoder.repeats() - before).as("repeats at step %d", step).isGreaterThanOrEqualTo(2);
      }
    }
    // Series that stopped are dropped for new ones once the table is full and they were not used.
    for (int step = 8; step < 12; step++) {
      for (int k = 10; k < 14; k++) {
        MetricEnvelope e = sample("pod-3", k, step);
        assertThat(decoder.decode(key(e), codec.encode(e))).isEqualTo(e);
      }
    }
    long before = decoder.repeats();
    for (int k = 10; k < 14; k++) {
      MetricEnvelope e = sample("pod-3", k, 12);
      decoder.decode(key(e), codec.encode(e));
    }
    assertThat(decoder.repeats() - before).isEqualTo(4);
    SeriesDecoder none = new SeriesDecoder(codec.newDecoder(), 0);
    for (int step = 0; step < 2; step++) {
      MetricEnvelope e = sample("pod-3", 0, step);
      assertThat(none.decode(key(e), codec.encode(e))).isEqualTo(e);
      assertThat(none.template()).isNull();
    }
    assertThat(none.repeats()).isZero();
  }

  @Test
  void aTemplateKeepsWhatTheConsumerAttaches() throws Exception {
    SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), 10);
    MetricEnvelope a = sample("pod-4", 0, 0);
    decoder.decode(key(a), codec.encode(a));
    SeriesTemplate t = decoder.template();
    Object mine = new Object();
    t.attach(mine);
    MetricEnvelope other = sample("pod-4", 1, 0);
    decoder.decode(key(other), codec.encode(other));
    assertThat(decoder.template()).isNotSameAs(t);
    decoder.decode(key(a), codec.encode(sample("pod-4", 0, 1)));
    assertThat(decoder.template()).isSameAs(t);
    assertThat(decoder.template().attachment()).isSameAs(mine);
  }

  private static byte[] key(MetricEnvelope e) {
    return e.source().instanceKey().getBytes(StandardCharsets.UTF_8);
  }

  private static MetricEnvelope sample(String instance, int series, int step) {
    return sample(instance, series, step, MetricKind.values()[series % 4]);
  }

  /** Series {@code series} of {@code instance} at {@code step}: numbers change every step. */
  private static MetricEnvelope sample(String instance, int series, int step, MetricKind kind) {
    long ts = T0 + step * 10_000L;
    Source source = new Source("shop", instance, "1.4.2", "prod", "run-" + instance);
    long seq = 1 + step * 100L + series;
    Map<String, String> labels = Map.of("route", "/api/v1/items/" + series, "method", series % 2 == 0 ? "GET" : "POST");
    String name = "metric_" + series + (kind == MetricKind.COUNTER ? "_total" : "");
    long start = T0 - 3_600_000;
    return switch (kind) {
      case COUNTER -> new MetricEnvelope(ts, source, "metrics", seq, name, kind, "Help " + series, null, start, labels,
          13.0 * step + series, null, null);
      case GAUGE -> new MetricEnvelope(ts, source, "metrics", seq, name, kind, null, "bytes", start, labels,
          step % 3 == 0 ? -0.5 * step : 1e-3 * step, null, null);
      case HISTOGRAM -> {
        List<MetricEnvelope.Bucket> buckets = new ArrayList<>();
        double[] bounds = {0.005, 0.01, 0.1, 1, 10};
        for (int b = 0; b < bounds.length; b++) {
          buckets.add(new MetricEnvelope.Bucket(bounds[b], (long) step * (b + 1) + 2));
        }
        yield new MetricEnvelope(ts, source, "metrics", seq, name, kind, "Latency", "seconds", start, labels, Double.NaN,
            new MetricEnvelope.Histogram(buckets, step * 6L + 3, 0.125 * step + 0.5), null);
      }
      case SUMMARY -> new MetricEnvelope(ts, source, "metrics", seq, name, kind, "Sizes", "bytes", start, labels,
          Double.NaN, null, new MetricEnvelope.Summary(List.of(new MetricEnvelope.Quantile(0.5, 10.0 * step),
          new MetricEnvelope.Quantile(0.99, step == 1 ? Double.NaN : 99.5 * step)), step * 4L, 42.25 * step));
    };
  }

  private interface Decode {
    Envelope run() throws EnvelopeException;
  }

  /** The envelope, or the rejection's reason and message; anything else thrown fails the test. */
  private static Object outcome(Decode d) {
    try {
      return d.run();
    } catch (EnvelopeException e) {
      return e.reason() + ": " + e.getMessage();
    }
  }

  private static byte[] insert(byte[] b, int at, byte value) {
    byte[] r = new byte[b.length + 1];
    System.arraycopy(b, 0, r, 0, at);
    r[at] = value;
    System.arraycopy(b, at, r, at + 1, b.length - at);
    return r;
  }

  private static byte[] remove(byte[] b, int at) {
    byte[] r = new byte[b.length - 1];
    System.arraycopy(b, 0, r, 0, at);
    System.arraycopy(b, at + 1, r, at, b.length - at - 1);
    return r;
  }
}
