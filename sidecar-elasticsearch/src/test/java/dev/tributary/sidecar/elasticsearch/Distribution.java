package dev.tributary.sidecar.elasticsearch;

import dev.tributary.testkit.SearchServer;
import java.nio.file.Path;

/**
 * The servers the tests run against: the integ-test distributions the pom unpacks into
 * {@code target/search-dists}, each with the oldest JDK it runs on.
 */
enum Distribution {
  ELASTICSEARCH_8("elasticsearch", "tributary.elasticsearch8.version", "8.19.21", 17),
  ELASTICSEARCH_9("elasticsearch", "tributary.elasticsearch9.version", "9.5.3", 21),
  OPENSEARCH_2("opensearch", "tributary.opensearch2.version", "2.19.6", 17),
  /** Needs JDK 21+; {@link SearchServer#findJavaHome} picks the newest, the Temurin 25 here. */
  OPENSEARCH_3("opensearch", "tributary.opensearch3.version", "3.8.0", 21);

  final String product;
  final String version;
  final int minimumJava;

  Distribution(String product, String versionProperty, String defaultVersion, int minimumJava) {
    this.product = product;
    this.version = System.getProperty(versionProperty, defaultVersion);
    this.minimumJava = minimumJava;
  }

  boolean isOpenSearch() {
    return product.equals("opensearch");
  }

  Path home() {
    return Path.of(System.getProperty("tributary.search.dists.dir", "target/search-dists"), product + "-" + version);
  }

  /** A builder for a server of this distribution on a JDK it runs on. */
  SearchServer.Builder server() {
    return SearchServer.builder(home()).javaHome(SearchServer.findJavaHome(minimumJava));
  }

  /** Starts a server of this distribution with the kit's defaults. */
  SearchServer start() {
    return server().start();
  }

  @Override
  public String toString() {
    return product + "-" + version;
  }
}
