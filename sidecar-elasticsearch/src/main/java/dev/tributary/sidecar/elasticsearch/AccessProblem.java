package dev.tributary.sidecar.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Answers that retrying cannot fix: the server refused the credentials (401), the credentials lack a
 * privilege the sidecar needs for a whole request (403), or the TLS handshake failed (an untrusted
 * or mismatched certificate, or no TLS on that port). Each becomes one message that names the cause
 * and the setting to change; the sidecar logs it once and stops, instead of retrying forever.
 * Messages never contain credentials: the server's own reason names at most the user.
 */
final class AccessProblem {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REASON_CHARS = 300;

  private AccessProblem() {}

  /**
   * The problem behind a whole-request answer, or {@code null} if {@code status} is not one.
   *
   * @param request e.g. {@code POST /_bulk}
   */
  static String fromStatus(int status, String request, String body) {
    if (status == 401) {
      return "Elasticsearch rejected the credentials (HTTP 401 to " + request + reason(body) + "): check "
          + ElasticsearchSettings.USERNAME.envName() + " and " + ElasticsearchSettings.PASSWORD.envName() + ", or "
          + ElasticsearchSettings.API_KEY.envName();
    }
    if (status == 403) {
      return "Elasticsearch refused a request for lack of privileges (HTTP 403 to " + request + reason(body)
          + "): grant the sidecar's user or API key the privileges listed in docs/sidecar-elasticsearch.md#security";
    }
    return null;
  }

  /** The problem behind a request that got no answer, or {@code null} if it is not a TLS one. */
  static String fromException(IOException e, String url) {
    SSLException ssl = null;
    boolean untrusted = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException s && ssl == null) {
        ssl = s;
      }
      if (t instanceof CertPathValidatorException || t.getClass().getName().endsWith("ValidatorException")) {
        untrusted = true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (ssl == null) {
      return null;
    }
    String detail = ssl.getMessage() == null ? ssl.getClass().getSimpleName() : ssl.getMessage();
    String trust = "set " + ElasticsearchSettings.CA_PATH.envName() + " (PEM) or "
        + ElasticsearchSettings.TRUSTSTORE_PATH.envName() + " to the CA that signed the server's certificate";
    if (untrusted || detail.contains("PKIX") || detail.contains("unable to find valid certification path")) {
      return "TLS handshake with " + url + " failed: the server's certificate is not trusted (" + detail + "): " + trust;
    }
    if (detail.contains("subject alternative name") || detail.contains("No name matching")) {
      return "TLS handshake with " + url + " failed: the server's certificate does not name this host (" + detail
          + "): use a URL with a host name or IP address the certificate lists";
    }
    if (ssl instanceof SSLHandshakeException || hasCause(ssl, CertificateException.class)) {
      return "TLS handshake with " + url + " failed (" + detail + "): " + trust;
    }
    if (detail.contains("Unsupported or unrecognized SSL message") || detail.contains("plaintext")) {
      return "TLS to " + url + " failed: the server does not speak TLS on that port (" + detail + "): use http://";
    }
    return null; // a TLS connection that broke mid-request: transient
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** {@code : <type>: <reason>} from an Elasticsearch error body, or nothing. */
  private static String reason(String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      String text = error.isObject() ? error.path("type").asText("") + ": " + error.path("reason").asText("")
          : error.asText("");
      text = text.strip();
      if (text.isEmpty() || text.equals(":")) {
        return "";
      }
      return ": " + (text.length() > MAX_REASON_CHARS ? text.substring(0, MAX_REASON_CHARS) + "..." : text);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
