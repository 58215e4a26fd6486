package dev.tributary.sidecar.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A record that is a JSON object but not a Tributary envelope: no {@code tributary} member, as a
 * producer other than Tributary's SDK writes (a Logstash shipper, a hand-written service). It has no
 * envelope identity, so its document id is {@code <topic>-<partition>-<offset>}, which a replay from
 * Kafka reproduces. Its index is chosen like an envelope's, from what ECS fields it has:
 * {@code service.name} (nested or dotted) for a log, the topic's domain for an event, dated by
 * {@code @timestamp} if it is an RFC 3339 string, else by the Kafka record's timestamp.
 *
 * <p>A record with a {@code tributary} member that the codec rejected is a broken envelope, not a
 * foreign document: it goes to the dead-letter topic with the codec's reason.
 *
 * @param serviceName {@code service.name}, or {@code null}
 * @param timestampMillis {@code @timestamp} in epoch milliseconds, or {@code -1}
 */
record ForeignDocument(String serviceName, long timestampMillis) {
  /** The service of a foreign log without {@code service.name}. */
  static final String UNKNOWN_SERVICE = "unknown";

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Reads the top level of {@code value}.
   *
   * @return the document's naming fields, or {@code null} if it is not a JSON object or has a
   *     {@code tributary} member
   */
  static ForeignDocument parse(byte[] value) {
    if (value == null) {
      return null;
    }
    String service = null;
    long timestamp = -1;
    try (JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken token = p.nextToken();
        switch (field) {
          case "tributary" -> {
            return null;
          }
          case "@timestamp" -> timestamp = token == JsonToken.VALUE_STRING ? epochMillis(p.getText()) : -1;
          case "service.name" -> service = token == JsonToken.VALUE_STRING ? p.getText() : service;
          case "service" -> {
            if (token == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String sub = p.currentName();
                JsonToken t = p.nextToken();
                if (sub.equals("name") && t == JsonToken.VALUE_STRING) {
                  service = p.getText();
                } else {
                  p.skipChildren();
                }
              }
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return null; // trailing content: not one JSON object
      }
    } catch (IOException e) {
      return null;
    }
    return new ForeignDocument(service == null || service.isBlank() ? null : service, timestamp);
  }

  /** The document id: {@code <topic>-<partition>-<offset>}. */
  static String id(String topic, int partition, long offset) {
    return topic + '-' + partition + '-' + offset;
  }

  /** The domain of an event topic: its name without the {@code .events} suffix. */
  static String domain(String topic) {
    return topic.endsWith(".events") && topic.length() > ".events".length()
        ? topic.substring(0, topic.length() - ".events".length()) : topic;
  }

  private static long epochMillis(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
