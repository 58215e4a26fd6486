package dev.tributary.sidecar.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A throw-away CA and a server certificate for 127.0.0.1 signed by it, made with the JDK's
 * {@code keytool} (no library): {@link #caPem} for the sidecar to trust, {@link #serverKeyPem} and
 * {@link #serverCertPem} (leaf, then CA) for Elasticsearch's {@code xpack.security.http.ssl.*}.
 */
final class TestCertificates {
  private static final String STORE_PASSWORD = "changeit";

  final Path caPem;
  final Path serverKeyPem;
  final Path serverCertPem;

  private final Path serverStore;

  private TestCertificates(Path dir) {
    this.serverStore = dir.resolve("http.p12");
    this.caPem = dir.resolve("ca.pem");
    this.serverKeyPem = dir.resolve("http.key");
    this.serverCertPem = dir.resolve("http.pem");
  }

  static TestCertificates create(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
    Files.createDirectories(dir);
    TestCertificates c = new TestCertificates(dir);
    Path ca = dir.resolve("ca.p12");
    Path http = dir.resolve("http.p12");
    Path csr = dir.resolve("http.csr");
    Path leaf = dir.resolve("http-leaf.pem");
    keytool("-genkeypair", "-keystore", ca.toString(), "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=Tributary Test CA", "-ext", "bc:c", "-validity", "2");
    keytool("-exportcert", "-rfc", "-keystore", ca.toString(), "-alias", "ca", "-file", c.caPem.toString());
    keytool("-genkeypair", "-keystore", http.toString(), "-alias", "http", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=127.0.0.1", "-validity", "2");
    keytool("-certreq", "-keystore", http.toString(), "-alias", "http", "-file", csr.toString());
    keytool("-gencert", "-rfc", "-keystore", ca.toString(), "-alias", "ca", "-infile", csr.toString(),
        "-outfile", leaf.toString(), "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-ext", "KU=digitalSignature,keyEncipherment", "-ext", "EKU=serverAuth");
    Files.writeString(c.serverCertPem, Files.readString(leaf) + Files.readString(c.caPem));

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(http)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    Key key = store.getKey("http", STORE_PASSWORD.toCharArray());
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(c.serverKeyPem, pem);
    return c;
  }

  /** A client SSL context trusting the test CA. */
  SSLContext clientContext() throws IOException, GeneralSecurityException {
    return SearchTransport.sslContext(null, "", "PKCS12", caPem);
  }

  /** A server SSL context presenting the server certificate (for a scripted HTTPS endpoint). */
  SSLContext serverContext() throws IOException, GeneralSecurityException {
    KeyStore source = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverStore)) {
      source.load(in, STORE_PASSWORD.toCharArray());
    }
    List<java.security.cert.Certificate> chain = new ArrayList<>();
    try (InputStream in = Files.newInputStream(serverCertPem)) {
      chain.addAll(java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("http", source.getKey("http", STORE_PASSWORD.toCharArray()), STORE_PASSWORD.toCharArray(),
        chain.toArray(new java.security.cert.Certificate[0]));
    javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, STORE_PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-noprompt"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
  }
}
