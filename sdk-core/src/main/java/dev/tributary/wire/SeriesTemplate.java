package dev.tributary.wire;

import java.util.List;
import java.util.Map;

/**
 * The last record a {@link SeriesDecoder} decoded of one series: its bytes, where its values lie
 * in them (the {@code @timestamp}, {@code tributary.seq} and sample values, the "slots"), and the
 * envelope's fields. A later record of the series that has the same bytes outside the slots is read by
 * comparing those bytes and reading the slots only.
 *
 * <p>A consumer may keep its own state for the series here ({@link #attachment()}), to find it
 * without a lookup when the next record repeats this one.
 */
public final class SeriesTemplate {
  byte[] bytes;
  /**
   * Three ints per slot: its kind ({@code EnvelopeScanner.SLOT_*}, or'ed with the bucket or quantile
   * index shifted by 8), and the start and end of its value in {@link #bytes}.
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

  /** Learns the record the scanner just read, {@code value}, whose envelope is {@code e}. */
  void learn(byte[] value, EnvelopeScanner scanner, MetricEnvelope e) {
    bytes = bytes != null && bytes.length == value.length ? bytes : new byte[value.length];
    System.arraycopy(value, 0, bytes, 0, value.length);
    slots = scanner.slots();
    if (slotData == null || slotData.length < 3 * slots) {
      slotData = new int[3 * slots];
    }
    for (int i = 0; i < slots; i++) {
      slotData[3 * i] = scanner.slotKind(i);
      slotData[3 * i + 1] = scanner.slotStart(i);
      slotData[3 * i + 2] = scanner.slotEnd(i);
    }
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
    return "SeriesTemplate[" + name + labels + " of " + source.instanceKey() + ", " + slots + " slots in "
        + bytes.length + " bytes]";
  }
}
