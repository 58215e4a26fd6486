package dev.tributary.internal;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;

/**
 * Recognises Kafka refusing the client's identity (SASL credentials) or the client refusing the
 * broker's (an untrusted TLS certificate), and reports it once, as one ERROR naming the cause and the
 * setting to check, instead of one warning per stream and record. The report is repeated only after
 * Kafka accepted records again and then refused them anew.
 *
 * <p>Why once: these failures do not heal by retrying; the operator must fix a setting. Records stay
 * buffered (events spooled) and are retried at the circuit breaker's pace, so fixing the broker side
 * (adding the user, trusting the CA) resumes delivery without a restart.
 */
public final class KafkaAccessFailure {
  private final Logger log;
  private final String client;
  private final String consequence;
  private final AtomicBoolean reported = new AtomicBoolean();
  private volatile boolean active;
  private volatile String reason = "";

  /**
   * @param log where the one error goes
   * @param client names the client in the message, e.g. {@code Tributary}
   * @param consequence what happens meanwhile, e.g. {@code records stay buffered and are retried}
   */
  public KafkaAccessFailure(Logger log, String client, String consequence) {
    this.log = log;
    this.client = client;
    this.consequence = consequence;
  }

  /** Whether {@code failure} (or a cause) is an authentication or TLS trust failure. */
  public static boolean isAccessFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException) {
        return true;
      }
    }
    return false;
  }

  /**
   * One line naming the cause and what to check, or {@code null} if {@code failure} is not an
   * access failure. Never contains a password: Kafka's messages name the mechanism, not the secret.
   */
  public static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SslAuthenticationException) {
        return describeTls(t);
      }
      if (t instanceof SaslAuthenticationException) {
        return "Kafka authentication failed (" + t.getMessage() + "); check kafka.sasl.mechanism and the"
            + " user and password in kafka.sasl.jaas.config";
      }
      if (t instanceof AuthenticationException) {
        return "Kafka authentication failed (" + t.getMessage() + ")";
      }
    }
    return null;
  }

  private static String describeTls(Throwable ssl) {
    for (Throwable t = ssl; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
        return "the Kafka broker's TLS certificate is not trusted (" + t.getMessage() + "); check"
            + " kafka.ssl.truststore.location (or ssl.truststore.certificates): it must hold the CA that"
            + " signed the broker's certificate";
      }
      if (t instanceof CertificateException && String.valueOf(t.getMessage()).contains("match")) {
        return "the Kafka broker's TLS certificate does not match its address (" + t.getMessage() + ");"
            + " check bootstrap.servers against the certificate's names";
      }
    }
    return "the TLS handshake with Kafka failed (" + rootMessage(ssl) + "); check kafka.security.protocol"
        + " and the kafka.ssl.* settings";
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }

  /**
   * Reports {@code failure} if it is an access failure: logs the one error the first time.
   *
   * @return whether it was an access failure (then the caller logs nothing more about it)
   */
  public boolean report(Throwable failure) {
    String description = describe(failure);
    if (description == null) {
      return false;
    }
    reason = description.substring(0, description.indexOf(" ("));
    active = true;
    if (reported.compareAndSet(false, true)) {
      log.error("{}: {}. Meanwhile {}; this is logged once until Kafka accepts the client again", client,
          description, consequence);
    }
    return true;
  }

  /** Kafka accepted a record: a later access failure is reported again. Cheap when nothing failed. */
  public void recovered() {
    if (active) {
      active = false;
      if (reported.compareAndSet(true, false)) {
        log.info("{}: Kafka accepts the client again", client);
      }
    }
  }

  /** The cause of the last access failure in a few words, e.g. {@code Kafka authentication failed}. */
  public String reason() {
    return reason;
  }

  /** Whether the last outcome was an access failure. */
  public boolean active() {
    return active;
  }
}
