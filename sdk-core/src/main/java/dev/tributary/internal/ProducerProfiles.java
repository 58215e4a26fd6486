package dev.tributary.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The two producer profiles (DESIGN.md "Delivery guarantees"): throughput for logs, metrics and
 * health, durability for business events. User properties apply on top of the profile, except
 * {@code max.block.ms} and the serializers.
 *
 * <p>{@code max.block.ms=0} is what keeps the I/O thread from ever sitting in
 * {@code KafkaProducer.send}: without metadata or buffer space, {@code send} fails at once with a
 * retriable timeout, the record stays at the head of its stream, and the I/O thread retries it
 * after a back-off while serving the other streams.
 */
final class ProducerProfiles {
  private ProducerProfiles() {}

  static Map<String, Object> throughput(String bootstrap, Map<String, String> user, String clientId) {
    Map<String, Object> p = base(bootstrap, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
    return withUser(p, user);
  }

  static Map<String, Object> durable(String bootstrap, Map<String, String> user, String clientId) {
    Map<String, Object> p = base(bootstrap, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    return withUser(p, user);
  }

  private static Map<String, Object> base(String bootstrap, String clientId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    // Reconnect quickly once a broker comes back, but do not hammer one that is down.
    p.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
    return p;
  }

  private static Map<String, Object> withUser(Map<String, Object> profile, Map<String, String> user) {
    Object bootstrap = profile.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    Object profileClientId = profile.get(ProducerConfig.CLIENT_ID_CONFIG);
    profile.putAll(user);
    profile.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    String userClientId = user.get(ProducerConfig.CLIENT_ID_CONFIG);
    if (userClientId != null) {
      // Two producers with one client.id clash in JMX and in broker quotas: keep them apart.
      String suffix = String.valueOf(profileClientId);
      profile.put(ProducerConfig.CLIENT_ID_CONFIG, userClientId + suffix.substring(suffix.lastIndexOf('-')));
    }
    profile.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
    profile.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    profile.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return profile;
  }
}
