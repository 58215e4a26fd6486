package dev.tributary.sidecar.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP to Elasticsearch or OpenSearch over the JDK's {@link HttpClient}: one code path for ES 8,
 * ES 9 and OpenSearch (no client library, so no compatibility headers and no version coupling).
 * HTTP/1.1, optional basic or API-key authorization, optional custom trust for https. With several
 * base URLs, a connection failure moves to the next one.
 */
final class SearchTransport implements AutoCloseable {
  /** A response: status and body bytes. */
  record Response(int status, byte[] body) {
    String bodyText() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final List<URI> urls;
  private final String authorization;
  private final Duration requestTimeout;
  private final ExecutorService executor;
  private final HttpClient http;
  private final AtomicInteger current = new AtomicInteger();

  SearchTransport(List<URI> urls, String authorization, SSLContext ssl, Duration connectTimeout, Duration requestTimeout) {
    this.urls = List.copyOf(urls);
    this.authorization = authorization;
    this.requestTimeout = requestTimeout;
    AtomicInteger n = new AtomicInteger();
    // Our own daemon threads, shut down on close (HttpClient has no close() on Java 17).
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tributary-es-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    this.http = b.build();
  }

  static SearchTransport create(ElasticsearchSettings s) {
    SSLContext ssl;
    try {
      ssl = sslContext(s.trustStore, s.get(ElasticsearchSettings.TRUSTSTORE_PASSWORD),
          s.get(ElasticsearchSettings.TRUSTSTORE_TYPE), s.caFile);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load the Elasticsearch trust material: " + e.getMessage(), e);
    }
    return new SearchTransport(s.urls, s.authorization, ssl, s.get(ElasticsearchSettings.CONNECT_TIMEOUT),
        s.get(ElasticsearchSettings.REQUEST_TIMEOUT));
  }

  /** An SSL context trusting the given store or PEM CA file; {@code null} (JDK default) if neither. */
  static SSLContext sslContext(Path trustStore, String password, String type, Path caFile)
      throws IOException, GeneralSecurityException {
    KeyStore trust;
    if (trustStore != null) {
      trust = KeyStore.getInstance(type);
      try (InputStream in = Files.newInputStream(trustStore)) {
        trust.load(in, password.isEmpty() ? null : password.toCharArray());
      }
    } else if (caFile != null) {
      trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      int i = 0;
      try (InputStream in = Files.newInputStream(caFile)) {
        for (Certificate c : cf.generateCertificates(in)) {
          trust.setCertificateEntry("ca-" + i++, c);
        }
      }
      if (i == 0) {
        throw new GeneralSecurityException("no certificate in " + caFile);
      }
    } else {
      return null;
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * Sends one request to the current base URL; on a connection failure tries each other URL once.
   *
   * @param pathAndQuery e.g. {@code /_bulk?filter_path=errors}
   * @param body the body, or {@code null}
   * @throws IOException when no URL answered (connection refused, timeout, reset)
   */
  Response send(String method, String pathAndQuery, byte[] body, String contentType)
      throws IOException, InterruptedException {
    return send(method, pathAndQuery, body, body == null ? 0 : body.length, contentType);
  }

  /**
   * {@link #send(String, String, byte[], String)} with the first {@code length} bytes of
   * {@code body}; the array is not read any more once this returns.
   */
  Response send(String method, String pathAndQuery, byte[] body, int length, String contentType)
      throws IOException, InterruptedException {
    IOException last = null;
    for (int tried = 0; tried < urls.size(); tried++) {
      int index = current.get();
      URI base = urls.get(index % urls.size());
      HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(requestTimeout);
      if (authorization != null) {
        r.header("Authorization", authorization);
      }
      if (body != null) {
        r.header("Content-Type", contentType);
        r.method(method, HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
      } else {
        r.method(method, HttpRequest.BodyPublishers.noBody());
      }
      try {
        HttpResponse<byte[]> response = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.body());
      } catch (IOException e) {
        last = e;
        current.compareAndSet(index, index + 1);
      }
    }
    throw last;
  }

  /** The base URL requests go to now (for messages). */
  String currentUrl() {
    return urls.get(current.get() % urls.size()).toString();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
