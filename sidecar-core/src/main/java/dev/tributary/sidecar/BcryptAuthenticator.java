package dev.tributary.sidecar;

import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * HTTP basic authentication against bcrypt hashes, as Prometheus' web configuration
 * ({@code basic_auth_users}) stores them: {@code $2a$}, {@code $2b$} or {@code $2y$}, any cost.
 *
 * <p>bcrypt is slow on purpose (about 50-100 ms at cost 10), and a scraper sends the same
 * credentials every few seconds, so a successful check is remembered, as Prometheus' exporter
 * toolkit does: as a salted SHA-256 of user and password (the salt random per process), never the
 * password itself. A wrong password is checked with bcrypt every time; an unknown user is checked
 * against a dummy hash, so the answer takes as long as for a known one.
 */
final class BcryptAuthenticator extends BasicAuthenticator {
  static final String REALM = "tributary";
  /** Remembered successful credentials at most; beyond, the cache starts again. */
  private static final int MAX_REMEMBERED = 64;

  private final Map<String, String> users;
  private final byte[] salt = new byte[16];
  private final Set<String> verified = ConcurrentHashMap.newKeySet();
  /** Checked for unknown users, at the cost of the configured hashes, so they answer as slowly. */
  private final String dummyHash;

  /** @param users user name to bcrypt hash; validated by {@link EndpointSecurity} */
  BcryptAuthenticator(Map<String, String> users) {
    super(REALM, StandardCharsets.UTF_8);
    this.users = Map.copyOf(users);
    SecureRandom random = new SecureRandom();
    random.nextBytes(salt);
    byte[] dummySalt = new byte[16];
    random.nextBytes(dummySalt);
    int cost = this.users.values().stream().mapToInt(BcryptAuthenticator::cost).max().orElse(10);
    this.dummyHash = OpenBSDBCrypt.generate("2y", "no such user".toCharArray(), dummySalt, cost);
  }

  private static int cost(String hash) {
    return Integer.parseInt(hash.substring(4, 6));
  }

  @Override
  public boolean checkCredentials(String user, String password) {
    String hash = users.get(user);
    String key = digest(user, password);
    if (hash != null && verified.contains(key)) {
      return true;
    }
    boolean ok;
    try {
      ok = OpenBSDBCrypt.checkPassword(hash == null ? dummyHash : hash, password.toCharArray()) && hash != null;
    } catch (IllegalArgumentException e) {
      ok = false; // a password bcrypt cannot take (e.g. longer than 72 bytes)
    }
    if (ok) {
      if (verified.size() >= MAX_REMEMBERED) {
        verified.clear();
      }
      verified.add(key);
    }
    return ok;
  }

  /** Whether {@code hash} is a bcrypt hash this authenticator can check. */
  static boolean isBcrypt(String hash) {
    return hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  }

  private String digest(String user, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      sha.update(user.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(password.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
