package dev.tributary.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * TLS and basic authentication of the sidecar's HTTP endpoints, from the configuration keys
 * {@code http.tls.*} and {@code http.basic.auth.users}, in the spirit of Prometheus' web
 * configuration file ({@code tls_server_config}, {@code basic_auth_users} with bcrypt hashes).
 */
final class EndpointSecurity {
  private EndpointSecurity() {}

  /** Loads the keystore into a server {@link SSLContext}; failures name the file, never the password. */
  static SSLContext sslContext(Path keystore, String type, char[] password) {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load the TLS keystore " + keystore + " (" + type + "): "
          + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code user:bcrypt-hash[,user:bcrypt-hash...]}.
   *
   * @throws IllegalArgumentException naming the entry (by user, never the hash) that is wrong
   */
  static Map<String, String> parseUsers(String spec) {
    Map<String, String> users = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return users;
    }
    for (String entry : spec.split(",")) {
      String trimmed = entry.trim();
      int colon = trimmed.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("http.basic.auth.users: each entry is user:bcrypt-hash, found one without a user");
      }
      String user = trimmed.substring(0, colon);
      String hash = trimmed.substring(colon + 1);
      if (!BcryptAuthenticator.isBcrypt(hash)) {
        throw new IllegalArgumentException("http.basic.auth.users: the hash of user '" + user
            + "' is not a bcrypt hash ($2a$, $2b$ or $2y$, e.g. from htpasswd -nBC 10 " + user + ")");
      }
      if (users.put(user, hash) != null) {
        throw new IllegalArgumentException("http.basic.auth.users: user '" + user + "' given twice");
      }
    }
    return users;
  }
}
