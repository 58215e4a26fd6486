package dev.tributary.internal.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Everything needed to rebuild a {@link ProducerRecord}: topic, key, timestamp, the encoded envelope
 * and the headers. The envelope is stored encoded, so a replayed record keeps its original run id and
 * sequence number and consumers can recognise a replay overlap as duplicates.
 *
 * <p>Payload layout (version 1), big-endian: {@code byte version}, {@code long timestamp} (-1: none),
 * {@code short}-prefixed UTF-8 topic, {@code int}-prefixed UTF-8 key (-1: null), {@code int}-prefixed
 * value, {@code short} header count, then per header a {@code short}-prefixed UTF-8 name and an
 * {@code int}-prefixed value (-1: null).
 */
public record SpoolRecord(String topic, String key, long timestamp, byte[] value, List<Header> headers) {
  static final byte VERSION = 1;

  public SpoolRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(value, "value");
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** The record as it was handed to the producer. */
  public static SpoolRecord of(ProducerRecord<String, byte[]> record) {
    List<Header> headers = new ArrayList<>();
    record.headers().forEach(headers::add);
    return new SpoolRecord(record.topic(), record.key(), record.timestamp() == null ? -1 : record.timestamp(),
        record.value(), headers);
  }

  /** The producer record to send. */
  public ProducerRecord<String, byte[]> toProducerRecord() {
    return new ProducerRecord<>(topic, null, timestamp < 0 ? null : timestamp, key, value,
        new RecordHeaders(headers.toArray(new Header[0])));
  }

  /** The payload bytes. */
  byte[] encode() {
    byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    int size = 1 + 8 + 2 + topicBytes.length + 4 + (keyBytes == null ? 0 : keyBytes.length) + 4 + value.length + 2;
    byte[][] names = new byte[headers.size()][];
    for (int i = 0; i < names.length; i++) {
      names[i] = headers.get(i).key().getBytes(StandardCharsets.UTF_8);
      byte[] v = headers.get(i).value();
      size += 2 + names[i].length + 4 + (v == null ? 0 : v.length);
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(VERSION).putLong(timestamp);
    b.putShort((short) topicBytes.length).put(topicBytes);
    if (keyBytes == null) {
      b.putInt(-1);
    } else {
      b.putInt(keyBytes.length).put(keyBytes);
    }
    b.putInt(value.length).put(value);
    b.putShort((short) names.length);
    for (int i = 0; i < names.length; i++) {
      b.putShort((short) names[i].length).put(names[i]);
      byte[] v = headers.get(i).value();
      if (v == null) {
        b.putInt(-1);
      } else {
        b.putInt(v.length).put(v);
      }
    }
    return b.array();
  }

  /**
   * Decodes a payload whose checksum matched.
   *
   * @throws IllegalArgumentException if the payload is not a version-1 record (a bug or a future format)
   */
  static SpoolRecord decode(ByteBuffer b) {
    try {
      byte version = b.get();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown spool record version " + version);
      }
      long timestamp = b.getLong();
      String topic = string(b, b.getShort() & 0xffff);
      int keyLength = b.getInt();
      String key = keyLength < 0 ? null : string(b, keyLength);
      byte[] value = new byte[b.getInt()];
      b.get(value);
      int count = b.getShort() & 0xffff;
      List<Header> headers = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String name = string(b, b.getShort() & 0xffff);
        int length = b.getInt();
        byte[] v = null;
        if (length >= 0) {
          v = new byte[length];
          b.get(v);
        }
        headers.add(new RecordHeader(name, v));
      }
      return new SpoolRecord(topic, key, timestamp, value, headers);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed spool record: " + e, e);
    }
  }

  private static String string(ByteBuffer b, int length) {
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "SpoolRecord{" + topic + ", key=" + key + ", " + value.length + " bytes}";
  }
}
