package dev.tributary.sidecar.elasticsearch;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a document goes: {@code <logsPrefix><service>-<date>} for logs and
 * {@code <eventsPrefix><domain>-<date>} for events, dated in UTC by the envelope's
 * {@code @timestamp} (a replay next week lands in the same index as the original); or, in data
 * stream mode, {@code <prefix><name>-<namespace>}. Names are sanitised to what Elasticsearch and
 * OpenSearch accept: lower case, no {@code \ / * ? " < > | , # :} or spaces, no leading
 * {@code - _ + .}, at most {@value #MAX_NAME_CHARS} characters for the service/domain part.
 *
 * <p>Not thread-safe (a small cache); owned by the consume thread.
 */
final class IndexNaming {
  static final int MAX_NAME_CHARS = 100;
  private static final int CACHE_SIZE = 4096;

  private final String logsPrefix;
  private final String eventsPrefix;
  private final String datePattern;
  private final DateTimeFormatter dateFormat;
  private final boolean dataStreams;
  private final String namespace;
  // The previous target and what it was made of.
  private String lastPrefix;
  private String lastName;
  private long lastHour = Long.MIN_VALUE;
  private String lastTarget;
  private final Map<String, String> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  IndexNaming(String logsPrefix, String eventsPrefix, String datePattern, boolean dataStreams, String namespace) {
    this.logsPrefix = logsPrefix;
    this.eventsPrefix = eventsPrefix;
    this.datePattern = datePattern;
    this.dateFormat = DateTimeFormatter.ofPattern(datePattern, Locale.ROOT).withZone(ZoneOffset.UTC);
    this.dataStreams = dataStreams;
    this.namespace = namespace;
  }

  /** The target of a log of {@code service} observed at {@code epochMillis}. */
  String logs(String service, long epochMillis) {
    return target(logsPrefix, service, epochMillis);
  }

  /** The target of an event of {@code domain} observed at {@code epochMillis}. */
  String events(String domain, long epochMillis) {
    return target(eventsPrefix, domain, epochMillis);
  }

  boolean dataStreams() {
    return dataStreams;
  }

  private String target(String prefix, String name, long epochMillis) {
    long hour = dataStreams ? 0 : Math.floorDiv(epochMillis, 3_600_000L);
    if (hour == lastHour && prefix == lastPrefix && Objects.equals(name, lastName)) {
      return lastTarget; // the common case: the same sender in the same hour as the previous document
    }
    String target;
    if (dataStreams) {
      String key = prefix + '\0' + name;
      target = cache.computeIfAbsent(key, k -> prefix + sanitize(name) + '-' + namespace);
    } else {
      String key = prefix + '\0' + name + '\0' + hour;
      target = cache.get(key);
      if (target == null) {
        target = prefix + sanitize(name) + '-' + dateFormat.format(java.time.Instant.ofEpochMilli(hour * 3_600_000L));
        cache.put(key, target);
      }
    }
    lastPrefix = prefix;
    lastName = name;
    lastHour = hour;
    lastTarget = target;
    return target;
  }

  /** The index patterns the log template covers, e.g. {@code logs-*-*.*.*}. */
  String logsTemplatePattern() {
    return templatePattern(logsPrefix);
  }

  /** The index patterns the event template covers, e.g. {@code events-*-*.*.*}. */
  String eventsTemplatePattern() {
    return templatePattern(eventsPrefix);
  }

  /**
   * {@code <prefix>*-<date with letters as *>}: specific enough not to capture other
   * {@code logs-*-*} data streams (Elastic Agent's {@code logs-<dataset>-<namespace>} has no dots in
   * its namespace), which a plain {@code logs-*} at priority 200 would.
   */
  private String templatePattern(String prefix) {
    if (dataStreams) {
      return prefix + "*-" + namespace;
    }
    return prefix + "*-" + datePattern.replaceAll("[yMdH]+", "*");
  }

  /** A valid lower-case index name part; never empty. */
  static String sanitize(String name) {
    if (name == null) {
      return "unknown";
    }
    StringBuilder b = new StringBuilder(Math.min(name.length(), MAX_NAME_CHARS));
    for (int i = 0; i < name.length() && b.length() < MAX_NAME_CHARS; i++) {
      char c = Character.toLowerCase(name.charAt(i));
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) {
        c = '_';
      }
      if (b.length() == 0 && (c == '-' || c == '_' || c == '.' || c == '+')) {
        continue;
      }
      b.append(c);
    }
    return b.length() == 0 ? "unknown" : b.toString();
  }

  /** Validates a configured prefix: lower case, starts with a letter or digit, only index-name characters. */
  static String checkPrefix(String prefix, String what) {
    if (!prefix.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new IllegalArgumentException(what + " must be lower case letters, digits, '.', '_' or '-' and start with "
          + "a letter or digit, was '" + prefix + "'");
    }
    return prefix;
  }

  /** For tests: the UTC date part for a timestamp. */
  String date(long epochMillis) {
    return dateFormat.format(LocalDate.ofEpochDay(Math.floorDiv(epochMillis, 86_400_000L)).atStartOfDay(ZoneOffset.UTC));
  }
}
