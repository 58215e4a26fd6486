package dev.tributary.exporter.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alertmanager's webhook payload, version 4, turned into one {@link Alert} per alert it carries.
 * Anything that is not such a payload is refused with an {@link IllegalArgumentException} whose
 * message says what is wrong (the webhook answers 400 with it).
 */
final class AlertmanagerPayload {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The only payload version Alertmanager has sent since 0.x: {@value}. */
  static final String VERSION = "4";

  private AlertmanagerPayload() {}

  /** One alert as published: the event name, the Kafka key and the event's attributes. */
  record Alert(String status, String fingerprint, Map<String, Object> attributes) {
    String eventName() {
      return "alert." + status;
    }
  }

  static List<Alert> parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("unreadable body: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the payload must be a JSON object");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isTextual() || !version.asText().equals(VERSION)) {
      throw new IllegalArgumentException("unsupported payload version " + version + ", expected \"" + VERSION + "\"");
    }
    JsonNode alerts = root.get("alerts");
    if (alerts == null || !alerts.isArray()) {
      throw new IllegalArgumentException("'alerts' must be an array");
    }
    String receiver = text(root, "receiver");
    String groupKey = text(root, "groupKey");
    String externalUrl = text(root, "externalURL");
    List<Alert> out = new ArrayList<>(alerts.size());
    for (int i = 0; i < alerts.size(); i++) {
      out.add(alert(alerts.get(i), i, receiver, groupKey, externalUrl));
    }
    return out;
  }

  private static Alert alert(JsonNode a, int i, String receiver, String groupKey, String externalUrl) {
    if (!a.isObject()) {
      throw new IllegalArgumentException("alerts[" + i + "] must be an object");
    }
    String status = text(a, "status");
    if (!"firing".equals(status) && !"resolved".equals(status)) {
      throw new IllegalArgumentException("alerts[" + i + "].status must be \"firing\" or \"resolved\", was " + a.get("status"));
    }
    Map<String, String> labels = stringMap(a.get("labels"), "alerts[" + i + "].labels", true);
    Map<String, String> annotations = stringMap(a.get("annotations"), "alerts[" + i + "].annotations", false);
    String fingerprint = text(a, "fingerprint");
    if (fingerprint == null || fingerprint.isEmpty()) {
      fingerprint = fingerprint(labels);
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    put(attributes, "alertname", labels.get("alertname"));
    attributes.put("status", status);
    put(attributes, "severity", labels.get("severity"));
    attributes.put("fingerprint", fingerprint);
    attributes.put("labels", labels);
    attributes.put("annotations", annotations);
    put(attributes, "starts_at", text(a, "startsAt"));
    put(attributes, "ends_at", text(a, "endsAt"));
    put(attributes, "generator_url", text(a, "generatorURL"));
    put(attributes, "receiver", receiver);
    put(attributes, "group_key", groupKey);
    put(attributes, "external_url", externalUrl);
    return new Alert(status, fingerprint, attributes);
  }

  private static void put(Map<String, Object> m, String key, String value) {
    if (value != null && !value.isEmpty()) {
      m.put(key, value);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : null;
  }

  private static Map<String, String> stringMap(JsonNode node, String where, boolean required) {
    Map<String, String> out = new TreeMap<>();
    if (node == null || node.isNull()) {
      if (required) {
        throw new IllegalArgumentException(where + " is required");
      }
      return out;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(where + "." + e.getKey() + " must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /**
   * A stand-in fingerprint for an alert without one (Alertmanager always sends it; other senders
   * may not): the first 16 hex digits of SHA-256 over the sorted labels, stable for the same labels.
   */
  static String fingerprint(Map<String, String> sortedLabels) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : sortedLabels.entrySet()) {
        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0xff);
        sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0xff);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
