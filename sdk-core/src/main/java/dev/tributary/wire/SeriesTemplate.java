package dev.tributary.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The last record a {@link SeriesDecoder} decoded of one series: its bytes outside the values that
 * change from one sample to the next, where those values lie
 * in them (the {@code @timestamp}, {@code tributary.seq} and sample values, the "slots"), and the
 * envelope's fields. A later record of the series that has the same bytes outside the slots is read by
 * comparing those bytes and reading the slots only.
 *
 * <p>A consumer may keep its own state for the series here ({@link #attachment()}), to find it
 * without a lookup when the next record repeats this one.
 */
public final class SeriesTemplate {
  /**
   * The record's bytes outside its slots, in order, in two parts: those before its {@code metric}
   * member ({@code @timestamp}, {@code tributary}, {@code service}: the same for all of a sender's
   * series, so one array is shared by its templates while they are equal) and the rest.
   */
  byte[] head;
  byte[] tail;
  /**
   * Two ints per slot: its kind ({@code EnvelopeScanner.SLOT_*}, or'ed with the bucket or quantile
   * index shifted by 8), and the number of constant bytes before it, since the previous slot.
   */
  int[] slotData;
  int slots;
  // The envelope's fields that the bytes outside the slots set (shared objects), and its values.
  Source source;
  String stream;
  String name;
  MetricEnvelope.MetricKind kind;
  String help;
  String unit;
  long start;
  Map<String, String> labels;
  long timestamp;
  long seq;
  double value;
  long count;
  double sum;
  /** The histogram's bucket bounds, or the summary's quantiles; {@code null} for other kinds. */
  double[] bounds;
  /** The template of the record that followed this one from the same sender, last time. */
  SeriesTemplate next;
  /** Decoded since the last sweep of the decoder's table. */
  boolean used;
  private Object attachment;

  SeriesTemplate() {}

  /**
   * Learns the record the scanner just read, {@code value}, whose envelope is {@code e}; shares
   * {@code senderHead} (the sender's other templates' head) if its own head is equal to it.
   *
   * @return the head this template uses
   */
  byte[] learn(byte[] value, EnvelopeScanner scanner, MetricEnvelope e, byte[] senderHead) {
    slots = scanner.slots();
    if (slotData == null || slotData.length < 2 * slots) {
      slotData = new int[2 * slots];
    }
    int length = value.length;
    for (int i = 0; i < slots; i++) {
      length -= scanner.slotEnd(i) - scanner.slotStart(i);
    }
    byte[] constants = new byte[length];
    int split = scanner.metricKeyAt();
    int splitAt = 0;
    int p = 0;
    int c = 0;
    for (int i = 0; i <= slots; i++) {
      int start = i < slots ? scanner.slotStart(i) : value.length;
      int gap = start - p;
      System.arraycopy(value, p, constants, c, gap);
      if (split >= p && split <= start) {
        splitAt = c + split - p;
      }
      c += gap;
      if (i < slots) {
        slotData[2 * i] = scanner.slotKind(i);
        slotData[2 * i + 1] = gap;
        p = scanner.slotEnd(i);
      }
    }
    byte[] ownHead = Arrays.copyOfRange(constants, 0, splitAt);
    head = senderHead != null && Arrays.equals(senderHead, ownHead) ? senderHead : ownHead;
    tail = Arrays.copyOfRange(constants, splitAt, length);
    source = e.source();
    stream = e.stream();
    name = e.name();
    kind = e.kind();
    help = e.help();
    unit = e.unit();
    start = e.startTimestamp();
    labels = e.labels();
    timestamp = e.timestamp();
    seq = e.seq();
    this.value = e.value();
    bounds = null;
    if (e.histogram() != null) {
      count = e.histogram().count();
      sum = e.histogram().sum();
      List<MetricEnvelope.Bucket> buckets = e.histogram().buckets();
      bounds = new double[buckets.size()];
      for (int i = 0; i < bounds.length; i++) {
        bounds[i] = buckets.get(i).upperBound();
      }
    } else if (e.summary() != null) {
      count = e.summary().count();
      sum = e.summary().sum();
      List<MetricEnvelope.Quantile> quantiles = e.summary().quantiles();
      bounds = new double[quantiles.size()];
      for (int i = 0; i < bounds.length; i++) {
        bounds[i] = quantiles.get(i).quantile();
      }
    }
    return head;
  }

  /** The number of constant bytes. */
  int constants() {
    return head.length + tail.length;
  }

  /** Whether {@code value[p, p + n)} are the constant bytes {@code [c, c + n)}. */
  boolean constantsAt(byte[] value, int p, int c, int n) {
    if (n > value.length - p) {
      return false;
    }
    int h = head.length;
    if (c + n <= h) {
      return Arrays.equals(value, p, p + n, head, c, c + n);
    }
    if (c >= h) {
      return Arrays.equals(value, p, p + n, tail, c - h, c - h + n);
    }
    int k = h - c;
    return Arrays.equals(value, p, p + k, head, c, h) && Arrays.equals(value, p + k, p + n, tail, 0, n - k);
  }

  /** What the consumer keeps for this series, or {@code null}. */
  public Object attachment() {
    return attachment;
  }

  /** Keeps {@code attachment} with this series, for the consumer. */
  public void attach(Object attachment) {
    this.attachment = attachment;
  }

  @Override
  public String toString() {
    return "SeriesTemplate[" + name + labels + " of " + source.instanceKey() + ", " + slots + " slots, "
        + head.length + " + " + tail.length + " constant bytes]";
  }
}
