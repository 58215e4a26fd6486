package dev.tributary.sidecar.elasticsearch;

import dev.tributary.testkit.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * {@link SidecarContract} against Elasticsearch 8.19, Elasticsearch 9.5, OpenSearch 2.19 and
 * OpenSearch 3.8, one broker for all and one server start per distribution. The Elasticsearch 8 outage lasts
 * {@link SidecarContract#DEFAULT_OUTAGE} (30 s); the others 10 s to keep the suite short; both are
 * overridden by {@code -Dtributary.test.outage=<duration in seconds>}.
 */
class SidecarEndToEndTest {
  static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  static Duration outage(Duration fallback) {
    String s = System.getProperty("tributary.test.outage");
    return s == null || s.isBlank() ? fallback : Duration.ofSeconds(Long.parseLong(s.trim().replace("s", "")));
  }

  @Nested
  class Elasticsearch8 extends SidecarContract {
    Elasticsearch8() {
      super(Distribution.ELASTICSEARCH_8, outage(DEFAULT_OUTAGE));
    }

    @Override
    KafkaBroker broker() {
      return broker;
    }
  }

  @Nested
  class Elasticsearch9 extends SidecarContract {
    Elasticsearch9() {
      super(Distribution.ELASTICSEARCH_9, outage(Duration.ofSeconds(10)));
    }

    @Override
    KafkaBroker broker() {
      return broker;
    }
  }

  @Nested
  class OpenSearch3 extends SidecarContract {
    OpenSearch3() {
      super(Distribution.OPENSEARCH_3, outage(Duration.ofSeconds(10)));
    }

    @Override
    KafkaBroker broker() {
      return broker;
    }
  }

  @Nested
  class OpenSearch2 extends SidecarContract {
    OpenSearch2() {
      super(Distribution.OPENSEARCH_2, outage(Duration.ofSeconds(10)));
    }

    @Override
    KafkaBroker broker() {
      return broker;
    }
  }
}
