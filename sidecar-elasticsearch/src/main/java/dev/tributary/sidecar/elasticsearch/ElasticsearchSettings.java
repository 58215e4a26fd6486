package dev.tributary.sidecar.elasticsearch;

import dev.tributary.sidecar.ConfigKey;
import dev.tributary.sidecar.SidecarConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Elasticsearch sidecar's configuration keys (on top of {@link SidecarConfig#commonKeys()}) and
 * their validated values. Every key, its environment variable and its default are listed in
 * {@code docs/sidecar-elasticsearch.md}; validation happens here, at start, naming the key.
 */
final class ElasticsearchSettings {
  static final String DEFAULT_GROUP = "tributary-elasticsearch";
  static final int DEFAULT_HTTP_PORT = 9402;

  static final ConfigKey<String> URL = ConfigKey.string("elasticsearch.url", "http://127.0.0.1:9200",
      "Elasticsearch/OpenSearch base URL(s), comma-separated; the next one is tried on a connection failure");
  static final ConfigKey<String> USERNAME = ConfigKey.string("elasticsearch.username", "", "basic auth user");
  static final ConfigKey<String> PASSWORD = ConfigKey.string("elasticsearch.password", "", "basic auth password");
  static final ConfigKey<String> API_KEY = ConfigKey.string("elasticsearch.api.key", "",
      "API key, the base64 'encoded' value Elasticsearch returns (sent as 'Authorization: ApiKey <key>')");
  static final ConfigKey<String> TRUSTSTORE_PATH = ConfigKey.string("elasticsearch.tls.truststore.path", "",
      "trust store (PKCS12 or JKS) for https URLs; default the JDK's trusted CAs");
  static final ConfigKey<String> TRUSTSTORE_PASSWORD = ConfigKey.string("elasticsearch.tls.truststore.password", "",
      "trust store password");
  static final ConfigKey<String> TRUSTSTORE_TYPE = ConfigKey.string("elasticsearch.tls.truststore.type", "PKCS12",
      "trust store type");
  static final ConfigKey<String> CA_PATH = ConfigKey.string("elasticsearch.tls.ca.path", "",
      "PEM file of CA certificates to trust for https URLs (alternative to a trust store)");
  static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("elasticsearch.connect.timeout",
      Duration.ofSeconds(5), "TCP/TLS connect timeout");
  static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.duration("elasticsearch.request.timeout",
      Duration.ofSeconds(30), "timeout of one HTTP request (a bulk that times out is retried)");

  static final ConfigKey<Integer> BULK_MAX_ACTIONS = ConfigKey.integer("elasticsearch.bulk.max.actions", 2000, 1,
      100_000, "documents per bulk request at most");
  static final ConfigKey<Integer> BULK_MAX_BYTES = ConfigKey.integer("elasticsearch.bulk.max.bytes", 5 * 1024 * 1024,
      1024, 100 * 1024 * 1024, "bytes per bulk request body at most (a single larger document is sent alone)");
  static final ConfigKey<Duration> BULK_INTERVAL = ConfigKey.duration("elasticsearch.bulk.interval",
      Duration.ofSeconds(1), "longest a document waits for a fuller bulk while records keep arriving");
  static final ConfigKey<Integer> BUFFER_MAX_RECORDS = ConfigKey.integer("elasticsearch.buffer.max.records", 20_000,
      1, 10_000_000, "records held in memory (waiting or being retried) before partitions are paused");
  static final ConfigKey<Integer> BUFFER_MAX_BYTES = ConfigKey.integer("elasticsearch.buffer.max.bytes",
      64 * 1024 * 1024, 1024, Integer.MAX_VALUE, "bytes held in memory before partitions are paused");

  static final ConfigKey<Duration> RETRY_INITIAL_BACKOFF = ConfigKey.duration("elasticsearch.retry.initial.backoff",
      Duration.ofMillis(200), "first back-off after a 429/5xx or an unreachable server");
  static final ConfigKey<Duration> RETRY_MAX_BACKOFF = ConfigKey.duration("elasticsearch.retry.max.backoff",
      Duration.ofSeconds(30), "longest back-off (exponential, full jitter)");
  static final ConfigKey<Integer> RETRY_MAX_ATTEMPTS = ConfigKey.integer("elasticsearch.retry.max.attempts", 20, 0,
      1_000_000, "attempts for a document failing with a 5xx other than 503; then it is dead-lettered "
          + "(0 = retry forever). 429 and 503 are retried forever");

  static final ConfigKey<String> TOPICS_PATTERN = ConfigKey.string("topics.pattern", ".*\\.events",
      "regular expression of the topics to index (logs.events and <domain>.events)");
  static final ConfigKey<String> TOPICS_EXCLUDE = ConfigKey.string("topics.exclude", "metrics.events,health.events",
      "topics never indexed, comma-separated (topics ending in .dlq are never indexed)");
  static final ConfigKey<String> LOGS_TOPIC = ConfigKey.string("logs.topic", "logs.events",
      "the log topic (its records must be log envelopes)");

  static final ConfigKey<String> INDEX_MODE = ConfigKey.string("elasticsearch.index.mode", "index",
      "'index' (daily indices, op_type index) or 'data_stream' (op_type create)");
  static final ConfigKey<String> LOGS_PREFIX = ConfigKey.string("elasticsearch.logs.prefix", "logs-",
      "prefix of log indices/data streams, followed by the service name");
  static final ConfigKey<String> EVENTS_PREFIX = ConfigKey.string("elasticsearch.events.prefix", "events-",
      "prefix of event indices/data streams, followed by the event domain");
  static final ConfigKey<String> DATE_PATTERN = ConfigKey.string("elasticsearch.index.date.pattern", "yyyy.MM.dd",
      "date suffix of index names (UTC, from the envelope's @timestamp), java.time pattern of y, M, d, H");
  static final ConfigKey<String> DATA_STREAM_NAMESPACE = ConfigKey.string("elasticsearch.data.stream.namespace",
      "default", "last part of data stream names in data_stream mode: <prefix><service>-<namespace>");
  static final ConfigKey<String> TEMPLATES_INSTALL = ConfigKey.string("elasticsearch.templates.install", "true",
      "install the component and index templates at start (true/false)");
  static final ConfigKey<Integer> TEMPLATE_PRIORITY = ConfigKey.integer("elasticsearch.template.priority", 200, 0,
      Integer.MAX_VALUE, "priority of the index templates (Elasticsearch's built-in logs template has 100)");
  static final ConfigKey<Integer> INDEX_REPLICAS = ConfigKey.integer("elasticsearch.index.replicas", -1, -1, 100,
      "index.number_of_replicas in the templates; -1 leaves the server default");
  static final ConfigKey<Integer> FIELDS_LIMIT = ConfigKey.integer("elasticsearch.index.fields.limit", 2000, 100,
      100_000, "index.mapping.total_fields.limit in the templates (bounds dynamic fields.* and attributes.*)");

  static List<ConfigKey<?>> keys() {
    List<ConfigKey<?>> keys = new ArrayList<>();
    for (ConfigKey<?> k : SidecarConfig.commonKeys()) {
      if (k.name().equals(SidecarConfig.GROUP_ID.name())) {
        keys.add(SidecarConfig.GROUP_ID.withDefault(DEFAULT_GROUP));
      } else if (k.name().equals(SidecarConfig.HTTP_PORT.name())) {
        keys.add(SidecarConfig.HTTP_PORT.withDefault(DEFAULT_HTTP_PORT));
      } else {
        keys.add(k);
      }
    }
    keys.addAll(List.of(URL, USERNAME, PASSWORD, API_KEY, TRUSTSTORE_PATH, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE,
        CA_PATH, CONNECT_TIMEOUT, REQUEST_TIMEOUT, BULK_MAX_ACTIONS, BULK_MAX_BYTES, BULK_INTERVAL,
        BUFFER_MAX_RECORDS, BUFFER_MAX_BYTES, RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF, RETRY_MAX_ATTEMPTS,
        TOPICS_PATTERN, TOPICS_EXCLUDE, LOGS_TOPIC, INDEX_MODE, LOGS_PREFIX, EVENTS_PREFIX, DATE_PATTERN,
        DATA_STREAM_NAMESPACE, TEMPLATES_INSTALL, TEMPLATE_PRIORITY, INDEX_REPLICAS, FIELDS_LIMIT));
    return keys;
  }

  final SidecarConfig config;
  final List<URI> urls;
  final String authorization; // header value or null
  final Path trustStore;
  final Path caFile;
  final boolean dataStreams;
  final boolean installTemplates;
  final Pattern topicPattern;
  final IndexNaming naming;

  ElasticsearchSettings(SidecarConfig config) {
    this.config = config;
    this.urls = parseUrls(config.get(URL));
    this.authorization = authorization(config);
    this.trustStore = optionalFile(config, TRUSTSTORE_PATH);
    this.caFile = optionalFile(config, CA_PATH);
    if (trustStore != null && caFile != null) {
      throw new IllegalArgumentException(TRUSTSTORE_PATH.envName() + " and " + CA_PATH.envName() + " are exclusive");
    }
    String mode = config.get(INDEX_MODE).trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("index") && !mode.equals("data_stream")) {
      throw new IllegalArgumentException(INDEX_MODE.envName() + " must be 'index' or 'data_stream', was '" + mode + "'");
    }
    this.dataStreams = mode.equals("data_stream");
    this.installTemplates = bool(config, TEMPLATES_INSTALL);
    this.topicPattern = topicPattern(config.get(TOPICS_PATTERN), config.get(TOPICS_EXCLUDE));
    String datePattern = config.get(DATE_PATTERN);
    if (!datePattern.matches("[yMdH._-]+") || !datePattern.contains("y")) {
      throw new IllegalArgumentException(DATE_PATTERN.envName() + " may use only y, M, d, H and . _ - (e.g. yyyy.MM.dd), was '"
          + datePattern + "'");
    }
    DateTimeFormatter.ofPattern(datePattern, Locale.ROOT);
    this.naming = new IndexNaming(
        IndexNaming.checkPrefix(config.get(LOGS_PREFIX), LOGS_PREFIX.envName()),
        IndexNaming.checkPrefix(config.get(EVENTS_PREFIX), EVENTS_PREFIX.envName()),
        datePattern, dataStreams,
        IndexNaming.sanitize(config.get(DATA_STREAM_NAMESPACE)));
  }

  /** The URLs, the kind of authentication (a user name, never a password or key) and the trust. */
  @Override
  public String toString() {
    String user = config.get(USERNAME);
    String auth = authorization == null ? "no authentication"
        : authorization.startsWith("ApiKey ") ? "API key" : "basic auth as " + user.strip();
    String trust = trustStore != null ? "trust store " + trustStore : caFile != null ? "CA " + caFile : "the JDK's CAs";
    return "Elasticsearch " + urls + ", " + auth + ", trusting " + trust;
  }

  <T> T get(ConfigKey<T> key) {
    return config.get(key);
  }

  private static List<URI> parseUrls(String text) {
    List<URI> urls = new ArrayList<>();
    for (String part : text.split(",")) {
      String u = part.trim();
      if (u.isEmpty()) {
        continue;
      }
      while (u.endsWith("/")) {
        u = u.substring(0, u.length() - 1);
      }
      URI uri;
      try {
        uri = URI.create(u);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(URL.envName() + ": not a URL: '" + part.trim() + "'", e);
      }
      if (uri.getRawUserInfo() != null) {
        // Credentials in a URL end up in logs; the JDK client would not send them anyway.
        throw new IllegalArgumentException(URL.envName() + ": put credentials in " + USERNAME.envName() + "/"
            + PASSWORD.envName() + " or " + API_KEY.envName() + ", not in the URL");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException(URL.envName() + ": needs http:// or https:// and a host, was '" + part.trim() + "'");
      }
      urls.add(uri);
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(URL.envName() + " is required");
    }
    return List.copyOf(urls);
  }

  private static String authorization(SidecarConfig config) {
    String user = config.get(USERNAME);
    String password = config.get(PASSWORD);
    String apiKey = config.get(API_KEY);
    if (!apiKey.isBlank() && !user.isBlank()) {
      throw new IllegalArgumentException(API_KEY.envName() + " and " + USERNAME.envName() + " are exclusive");
    }
    if (!apiKey.isBlank()) {
      return "ApiKey " + apiKey.trim();
    }
    if (!user.isBlank()) {
      String pair = user + ":" + password;
      return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (!password.isBlank()) {
      throw new IllegalArgumentException(PASSWORD.envName() + " is set but " + USERNAME.envName() + " is not");
    }
    return null;
  }

  private static Path optionalFile(SidecarConfig config, ConfigKey<String> key) {
    String value = config.get(key);
    if (value.isBlank()) {
      return null;
    }
    Path p = Path.of(value.trim());
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException(key.envName() + ": cannot read " + p);
    }
    return p;
  }

  static boolean bool(SidecarConfig config, ConfigKey<String> key) {
    String v = config.get(key).trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key.envName() + " must be true or false, was '" + v + "'");
    };
  }

  /** {@code ^(?!(?:excluded)$)(?:include)$}; {@code .dlq} topics never match. */
  static Pattern topicPattern(String include, String exclude) {
    try {
      Pattern.compile(include);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(TOPICS_PATTERN.envName() + ": not a regular expression: " + e.getMessage(), e);
    }
    List<String> excluded = new ArrayList<>();
    for (String t : exclude.split(",")) {
      if (!t.isBlank()) {
        excluded.add(Pattern.quote(t.trim()));
      }
    }
    excluded.add(".*\\.dlq");
    return Pattern.compile("^(?!(?:" + String.join("|", excluded) + ")$)(?:" + include + ")$");
  }
}
