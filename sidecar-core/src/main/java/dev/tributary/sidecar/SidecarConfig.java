package dev.tributary.sidecar;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A sidecar's configuration: its declared {@link ConfigKey keys} with values from a properties
 * file and the environment, plus Kafka client properties.
 *
 * <p>Sources, later ones winning: the key's default; the properties file named by
 * {@code TRIBUTARY_CONFIG_FILE} or {@code --config FILE} (entries {@code tributary.<key>});
 * environment variables {@code TRIBUTARY_<KEY>} (dots become underscores). Anything under the
 * prefix that is not a declared key is rejected with a message naming it, which catches typos.
 * {@code TRIBUTARY_KAFKA_SECURITY_PROTOCOL} (or {@code tributary.kafka.security.protocol}) passes
 * through as the Kafka client property {@code security.protocol}.
 *
 * <p>{@link #toString()} lists the keys that were set, never their values, so passwords in
 * {@code kafka.sasl.jaas.config} never reach a log.
 */
public final class SidecarConfig {
  /** The environment variable prefix: {@value}. */
  public static final String ENV_PREFIX = "TRIBUTARY_";
  /** The properties-file prefix: {@value}. */
  public static final String PROPERTY_PREFIX = "tributary.";
  private static final String KAFKA = "kafka.";

  /** Kafka bootstrap servers. */
  public static final ConfigKey<String> BOOTSTRAP_SERVERS =
      ConfigKey.string("bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
  /** The consumer group; each sidecar sets its own default. */
  public static final ConfigKey<String> GROUP_ID =
      ConfigKey.string("group.id", null, "Kafka consumer group");
  /** The address the HTTP endpoints bind to. */
  public static final ConfigKey<String> HTTP_HOST =
      ConfigKey.string("http.host", "127.0.0.1", "address of /metrics, /health, /ready (0.0.0.0 for all interfaces)");
  /** The HTTP port; 0 picks a free port. Each sidecar sets its own default. */
  public static final ConfigKey<Integer> HTTP_PORT =
      ConfigKey.integer("http.port", 0, 0, 65535, "port of /metrics, /health, /ready; 0 = a free port");
  /** A keystore (PKCS12 or JKS) with the HTTPS server key and certificate chain; empty: plain HTTP. */
  public static final ConfigKey<String> HTTP_TLS_KEYSTORE =
      ConfigKey.string("http.tls.keystore", "", "keystore file for HTTPS on the endpoints; empty = plain HTTP");
  /** The password of {@link #HTTP_TLS_KEYSTORE} and of its key. A secret: never logged. */
  public static final ConfigKey<String> HTTP_TLS_KEYSTORE_PASSWORD =
      ConfigKey.string("http.tls.keystore.password", "", "password of the keystore and its key");
  /** The type of {@link #HTTP_TLS_KEYSTORE}. */
  public static final ConfigKey<String> HTTP_TLS_KEYSTORE_TYPE =
      ConfigKey.string("http.tls.keystore.type", "PKCS12", "PKCS12 or JKS");
  /** Basic-auth users of the endpoints: {@code user:bcrypt-hash[,user:bcrypt-hash]}; empty: none. */
  public static final ConfigKey<String> HTTP_BASIC_AUTH_USERS =
      ConfigKey.string("http.basic.auth.users", "", "user:bcrypt-hash[,...] required on every endpoint; empty = no auth");
  /**
   * The deflate level of gzip-compressed {@code /metrics} responses: 1 (the default) compresses a
   * 100,000-series scrape about 4× faster than the JDK's default level 6, for about 25% more bytes.
   */
  public static final ConfigKey<Integer> HTTP_GZIP_LEVEL =
      ConfigKey.integer("http.gzip.level", 1, 1, 9, "deflate level of gzip /metrics responses: 1 fastest, 9 smallest");
  /** How long shutdown may take to finish the current batch, commit and leave the group. */
  public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT =
      ConfigKey.duration("shutdown.timeout", Duration.ofSeconds(10), "bound on graceful shutdown");
  /** The properties file to read; only meaningful in the environment. */
  public static final ConfigKey<String> CONFIG_FILE =
      ConfigKey.string("config.file", "", "properties file with tributary.* entries");

  private final Map<String, ConfigKey<?>> keys;
  private final Map<String, Object> values;
  private final Map<String, Object> kafka;
  private final List<String> setKeys;

  private SidecarConfig(Map<String, ConfigKey<?>> keys, Map<String, Object> values, Map<String, Object> kafka,
      List<String> setKeys) {
    this.keys = keys;
    this.values = values;
    this.kafka = kafka;
    this.setKeys = setKeys;
  }

  /**
   * The keys every sidecar has: bootstrap servers, group, HTTP address, its TLS and basic auth and
   * gzip level, shutdown timeout, config file.
   */
  public static List<ConfigKey<?>> commonKeys() {
    return List.of(BOOTSTRAP_SERVERS, GROUP_ID, HTTP_HOST, HTTP_PORT, HTTP_TLS_KEYSTORE, HTTP_TLS_KEYSTORE_PASSWORD,
        HTTP_TLS_KEYSTORE_TYPE, HTTP_BASIC_AUTH_USERS, HTTP_GZIP_LEVEL, SHUTDOWN_TIMEOUT, CONFIG_FILE);
  }

  /**
   * Loads a configuration from the process: {@code --config FILE} in {@code args}, else
   * {@code TRIBUTARY_CONFIG_FILE}, then the environment.
   *
   * @param keys the keys the sidecar declares (normally {@link #commonKeys()} plus its own)
   * @param env the environment, normally {@code System.getenv()}
   * @param args the command line; only {@code --config FILE} / {@code --config=FILE} is understood
   * @throws IllegalArgumentException naming the offending key, file or argument
   */
  public static SidecarConfig load(Collection<ConfigKey<?>> keys, Map<String, String> env, String... args) {
    Map<String, ConfigKey<?>> table = table(keys);
    String file = configFileArgument(args);
    if (file == null) {
      file = env.get(CONFIG_FILE.envName());
    }
    Map<String, String> raw = new LinkedHashMap<>(); // key -> value
    Map<String, String> origins = new LinkedHashMap<>(); // key -> where it came from
    if (file != null && !file.isBlank()) {
      Properties properties = readFile(Path.of(file.trim()));
      for (String name : new TreeSet<>(properties.stringPropertyNames())) {
        if (!name.startsWith(PROPERTY_PREFIX) || name.length() == PROPERTY_PREFIX.length()) {
          throw unknown("'" + name + "' in " + file, table, "tributary.");
        }
        String key = name.substring(PROPERTY_PREFIX.length());
        raw.put(key, properties.getProperty(name));
        origins.put(key, name + " in " + file);
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
        String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        raw.put(key, e.getValue());
        origins.put(key, "environment variable " + name);
      }
    }
    return build(table, raw, origins);
  }

  /**
   * A configuration from plain {@code key=value} pairs (keys without prefix, e.g.
   * {@code http.port} or {@code kafka.security.protocol}); for tests and embedding.
   *
   * @throws IllegalArgumentException on an unknown key or invalid value
   */
  public static SidecarConfig of(Collection<ConfigKey<?>> keys, Map<String, String> values) {
    Map<String, String> origins = new LinkedHashMap<>();
    values.keySet().forEach(k -> origins.put(k, "'" + k + "'"));
    return build(table(keys), new TreeMap<>(values), origins);
  }

  private static SidecarConfig build(Map<String, ConfigKey<?>> table, Map<String, String> raw, Map<String, String> origins) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (ConfigKey<?> key : table.values()) {
      if (key.defaultValue() != null) {
        values.put(key.name(), key.defaultValue());
      }
    }
    Map<String, Object> kafka = new TreeMap<>();
    List<String> set = new ArrayList<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      String key = e.getKey();
      String origin = origins.get(key);
      if (key.startsWith(KAFKA) && key.length() > KAFKA.length()) {
        kafka.put(key.substring(KAFKA.length()), e.getValue());
      } else {
        ConfigKey<?> declared = table.get(key);
        if (declared == null) {
          throw unknown(origin, table, ENV_PREFIX);
        }
        values.put(key, declared.parse(e.getValue(), origin));
      }
      set.add(key);
    }
    for (ConfigKey<?> key : table.values()) {
      if (!values.containsKey(key.name())) {
        throw new IllegalArgumentException("configuration key " + key.name() + " (" + key.envName() + ") is required");
      }
    }
    return new SidecarConfig(table, Map.copyOf(values), Map.copyOf(kafka), List.copyOf(set));
  }

  private static Map<String, ConfigKey<?>> table(Collection<ConfigKey<?>> keys) {
    Map<String, ConfigKey<?>> table = new TreeMap<>();
    for (ConfigKey<?> key : keys) {
      if (table.put(key.name(), key) != null) {
        throw new IllegalArgumentException("configuration key " + key.name() + " declared twice");
      }
    }
    return table;
  }

  private static IllegalArgumentException unknown(String origin, Map<String, ConfigKey<?>> table, String style) {
    List<String> known = new ArrayList<>();
    for (ConfigKey<?> key : table.values()) {
      known.add(style.equals(ENV_PREFIX) ? key.envName() : key.propertyName());
    }
    known.add(style.equals(ENV_PREFIX) ? ENV_PREFIX + "KAFKA_<KAFKA PROPERTY>" : PROPERTY_PREFIX + "kafka.<kafka property>");
    return new IllegalArgumentException("unknown configuration key: " + origin + " (known: " + String.join(", ", known) + ")");
  }

  private static String configFileArgument(String[] args) {
    String file = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--config")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--config needs a file name");
        }
        file = args[++i];
      } else if (arg.startsWith("--config=")) {
        file = arg.substring("--config=".length());
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "' (usage: [--config FILE])");
      }
    }
    return file;
  }

  private static Properties readFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    return properties;
  }

  /**
   * The value of a key.
   *
   * @throws IllegalArgumentException if the key was not declared
   */
  public <T> T get(ConfigKey<T> key) {
    if (!keys.containsKey(key.name())) {
      throw new IllegalArgumentException("configuration key " + key.name() + " is not declared by this sidecar");
    }
    @SuppressWarnings("unchecked")
    T value = (T) values.get(key.name());
    return value;
  }

  /** The Kafka client properties given as {@code kafka.*} keys, without the prefix. */
  public Map<String, Object> kafkaProperties() {
    return kafka;
  }

  /** The declared keys, sorted by name. */
  public Collection<ConfigKey<?>> keys() {
    return keys.values();
  }

  /** Lists the keys that were set explicitly; never values, which may be secrets. */
  @Override
  public String toString() {
    return "SidecarConfig[set=" + setKeys + "]";
  }
}
