package dev.tributary.wire;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes a consumer's {@code metrics.events} records, reading most of them by comparing bytes.
 *
 * <p>A sender publishes every series it has once per step, in the same order each time, and a
 * series' record differs from its previous one only in {@code @timestamp}, {@code tributary.seq}
 * and the sample's numbers. So this decoder keeps each series' last record as a
 * {@link SeriesTemplate}, and, per Kafka key (the sender, {@code service/instance}), which template
 * followed the sender's previous record last time. A record is first compared with that prediction:
 * if its bytes outside the template's slots are the template's, only the slots are read (as the
 * decoder reads them) and the envelope is the template's with those values. Anything else (another
 * series, a changed help text, a new run, whitespace, an invalid value) is decoded by the
 * {@link EnvelopeCodec.Decoder}, and the result is learned for next time. Either way the envelope,
 * or the {@link EnvelopeException}, is exactly the decoder's.
 *
 * <p>Memory: a template holds its record's bytes outside the values, those before the
 * {@code metric} member in one array shared by the sender's templates; up to {@code maxSeries}
 * templates are kept (about 0.45 KB each for a counter, 0.9 KB for a 10-bucket histogram). When
 * the table is full, templates not used since the previous sweep are dropped, at most once per
 * {@code maxSeries} records; until there is room, new series are decoded without one. With more
 * live series than {@code maxSeries}, the ones that have a template keep it.
 *
 * <p>Not thread-safe: one per consume thread, like its decoder.
 */
public final class SeriesDecoder {
  /** Senders (Kafka keys) followed at once before the table starts over. */
  static final int MAX_SENDERS = 1 << 16;

  private final EnvelopeCodec.Decoder decoder;
  private final EnvelopeScanner scanner;
  private final int maxSeries;
  private final Map<SeriesId, SeriesTemplate> templates = new HashMap<>();
  private byte[][] senderKeys = new byte[64][];
  private SeriesTemplate[] senderLast = new SeriesTemplate[64];
  /** Per sender, the head its templates share (see {@link SeriesTemplate#head}). */
  private byte[][] senderHead = new byte[64][];
  private int senders;
  /** The slot of the previous record's sender, or -1. */
  private int lastSender = -1;
  private SeriesTemplate last;
  private long repeats;
  private long decodedSinceSweep;

  /**
   * The identity of a series as decoded, with a hash of the strings' cached hashes (a record's
   * generated {@code hashCode} would go through method handles, slow on this rarely run path).
   */
  private static final class SeriesId {
    private final String name;
    private final MetricEnvelope.MetricKind kind;
    private final Map<String, String> labels;
    private final Source source;
    private final int hash;

    SeriesId(MetricEnvelope e) {
      this.name = e.name();
      this.kind = e.kind();
      this.labels = e.labels();
      this.source = e.source();
      this.hash = (((name.hashCode() * 31 + kind.ordinal()) * 31 + labels.hashCode()) * 31
          + source.instance().hashCode()) * 31 + source.runId().hashCode();
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof SeriesId other) || other.hash != hash) {
        return false;
      }
      Source s = other.source;
      return name.equals(other.name) && kind == other.kind && labels.equals(other.labels)
          && source.instance().equals(s.instance()) && source.runId().equals(s.runId())
          && source.service().equals(s.service()) && Objects.equals(source.version(), s.version())
          && Objects.equals(source.environment(), s.environment());
    }
  }

  /**
   * A decoder keeping at most {@code maxSeries} templates.
   *
   * @throws IllegalArgumentException if {@code maxSeries} is negative
   */
  public SeriesDecoder(EnvelopeCodec.Decoder decoder, int maxSeries) {
    if (maxSeries < 0) {
      throw new IllegalArgumentException("maxSeries must not be negative, was " + maxSeries);
    }
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.scanner = decoder.cache.scanner();
    this.maxSeries = maxSeries;
  }

  /**
   * Decodes one record; {@code key} is its Kafka key ({@code null} for none: then nothing is
   * predicted).
   *
   * @throws EnvelopeException exactly as {@link EnvelopeCodec.Decoder#decode(byte[])}
   */
  public Envelope decode(byte[] key, byte[] value) throws EnvelopeException {
    last = null;
    decodedSinceSweep++;
    int sender = key == null ? -1 : sender(key);
    SeriesTemplate previous = sender < 0 ? null : senderLast[sender];
    SeriesTemplate predicted = previous == null ? null : previous.next;
    if (predicted != null && value != null) {
      MetricEnvelope e = scanner.repeat(predicted, value);
      if (e != null) {
        predicted.used = true;
        senderLast[sender] = predicted;
        last = predicted;
        repeats++;
        return e;
      }
    }
    Envelope e = decoder.decode(value);
    SeriesTemplate t = e instanceof MetricEnvelope m && scanner.repeatable() ? learn(m, value, sender) : null;
    if (sender >= 0) {
      if (previous != null && t != null) {
        previous.next = t;
      }
      senderLast[sender] = t;
    }
    last = t;
    return e;
  }

  /**
   * The template of the series of the record {@link #decode} returned last, or {@code null} if
   * that record was not a metric envelope or has none (see the class comment).
   */
  public SeriesTemplate template() {
    return last;
  }

  /** Records read by comparing bytes with a template so far. */
  public long repeats() {
    return repeats;
  }

  /** Templates held. */
  public int size() {
    return templates.size();
  }

  private SeriesTemplate learn(MetricEnvelope m, byte[] value, int sender) {
    SeriesId id = new SeriesId(m);
    SeriesTemplate t = templates.get(id);
    if (t == null) {
      if (templates.size() >= maxSeries && (decodedSinceSweep < maxSeries || !sweep())) {
        return null;
      }
      t = new SeriesTemplate();
      templates.put(id, t);
    }
    byte[] head = t.learn(value, scanner, m, sender < 0 ? null : senderHead[sender]);
    if (sender >= 0) {
      senderHead[sender] = head;
    }
    t.used = true;
    return t;
  }

  /**
   * Drops the templates not used since the last sweep; whether there is room now. Run at most once
   * per {@code maxSeries} records, so "not used since" spans at least as many records as there are
   * templates (more live series than that would otherwise sweep at every new one and empty the table).
   */
  private boolean sweep() {
    decodedSinceSweep = 0;
    for (Iterator<SeriesTemplate> it = templates.values().iterator(); it.hasNext(); ) {
      SeriesTemplate t = it.next();
      if (!t.used) {
        it.remove();
      }
      t.used = false;
    }
    return templates.size() < maxSeries;
  }

  /**
   * The slot of the sender with this key, added if new (open addressing, linear probing). A
   * partition's records come in runs of one sender, so the previous record's sender is tried first.
   */
  private int sender(byte[] key) {
    if (lastSender >= 0 && Arrays.equals(senderKeys[lastSender], key)) {
      return lastSender;
    }
    lastSender = find(key);
    return lastSender;
  }

  private int find(byte[] key) {
    int mask = senderKeys.length - 1;
    int h = Arrays.hashCode(key);
    int i = (h ^ (h >>> 16)) & mask;
    for (byte[] k = senderKeys[i]; k != null; k = senderKeys[i]) {
      if (Arrays.equals(k, key)) {
        return i;
      }
      i = (i + 1) & mask;
    }
    if (senders >= MAX_SENDERS) {
      Arrays.fill(senderKeys, null);
      Arrays.fill(senderLast, null);
      Arrays.fill(senderHead, null);
      senders = 0;
      lastSender = -1;
    } else if (2 * (senders + 1) > senderKeys.length) {
      grow();
    }
    return insert(key);
  }

  private int insert(byte[] key) {
    int mask = senderKeys.length - 1;
    int h = Arrays.hashCode(key);
    int i = (h ^ (h >>> 16)) & mask;
    while (senderKeys[i] != null) {
      i = (i + 1) & mask;
    }
    senderKeys[i] = key;
    senders++;
    return i;
  }

  private void grow() {
    byte[][] keys = senderKeys;
    SeriesTemplate[] lasts = senderLast;
    byte[][] heads = senderHead;
    senderKeys = new byte[keys.length * 2][];
    senderLast = new SeriesTemplate[keys.length * 2];
    senderHead = new byte[keys.length * 2][];
    senders = 0;
    lastSender = -1;
    for (int j = 0; j < keys.length; j++) {
      if (keys[j] != null) {
        int i = insert(keys[j]);
        senderLast[i] = lasts[j];
        senderHead[i] = heads[j];
      }
    }
  }
}
