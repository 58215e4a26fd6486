package dev.tributary.sidecar.elasticsearch;

import dev.tributary.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The test kit's CA and server certificate in the shapes Elasticsearch and the tests need: an
 * unencrypted PKCS#8 PEM key and a PEM chain (leaf, CA) for {@code xpack.security.http.ssl.key} and
 * {@code .certificate} (a PKCS12 keystore would need its password in Elasticsearch's own keystore),
 * the CA as PEM for the sidecar, and SSL contexts for a scripted HTTPS endpoint and an admin client.
 */
final class ElasticsearchTls {
  private static final Base64.Encoder PEM = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  final TestCertificates certificates = TestCertificates.shared();
  final Path caPem = certificates.caCertificate();
  final Path serverKeyPem;
  final Path serverCertPem;

  ElasticsearchTls(Path dir) throws IOException, GeneralSecurityException {
    KeyStore server = serverStore();
    char[] password = certificates.password().toCharArray();
    serverKeyPem = Files.writeString(dir.resolve("http.key"), "-----BEGIN PRIVATE KEY-----\n"
        + PEM.encodeToString(server.getKey(TestCertificates.SERVER_ALIAS, password).getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    StringBuilder chain = new StringBuilder();
    for (Certificate c : server.getCertificateChain(TestCertificates.SERVER_ALIAS)) {
      chain.append("-----BEGIN CERTIFICATE-----\n").append(PEM.encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    serverCertPem = Files.writeString(dir.resolve("http.pem"), chain);
  }

  /** A client SSL context trusting the test CA. */
  SSLContext clientContext() throws IOException, GeneralSecurityException {
    return SearchTransport.sslContext(null, "", "PKCS12", caPem);
  }

  /** A server SSL context presenting the server certificate. */
  SSLContext serverContext() throws IOException, GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverStore(), certificates.password().toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private KeyStore serverStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certificates.serverKeystore())) {
      store.load(in, certificates.password().toCharArray());
    }
    return store;
  }
}
