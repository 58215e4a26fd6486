package dev.tributary.logback;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic failure of Kafka log appenders: the appender at the root, kafka-clients at DEBUG.
 * Kafka's own threads then log into the appender while it ships; nothing may loop or deadlock.
 * This test configures the JVM's real LoggerContext, which kafka-clients and the SDK log to.
 */
class KafkaLoggingRecursionTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final int THREADS = 4;
  private static final int PER_THREAD = 500;
  private final LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void restoreTheTestConfiguration() throws Exception {
    global.reset();
    new ContextInitializer(global).autoConfig();
  }

  @Test
  void debugLoggingOfKafkaClientsWithTheAppenderAtTheRootNeitherLoopsNorDeadlocks() throws Exception {
    global.reset();
    global.putProperty("bootstrap", KAFKA.broker().bootstrapServers());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(global);
    configurator.doConfigure(new ByteArrayInputStream("""
        <configuration>
          <appender name="FALLBACK" class="dev.tributary.logback.CollectingAppender"/>
          <appender name="TRIBUTARY" class="dev.tributary.logback.TributaryAppender">
            <bootstrapServers>${bootstrap}</bootstrapServers>
            <serviceName>recursion</serviceName>
            <topic>logs.recursion</topic>
            <appender-ref ref="FALLBACK"/>
          </appender>
          <logger name="org.apache.kafka.clients" level="DEBUG"/>
          <logger name="org.apache.kafka.common.network" level="DEBUG"/>
          <logger name="dev.tributary" level="DEBUG"/>
          <root level="INFO"><appender-ref ref="TRIBUTARY"/></root>
        </configuration>
        """.getBytes(UTF_8)));
    TributaryAppender appender = LogbackContexts.appender(global, "TRIBUTARY");
    CollectingAppender fallback = LogbackContexts.fallback(appender, "FALLBACK");

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          Logger log = LoggerFactory.getLogger("com.acme.Busy");
          for (int i = 0; i < PER_THREAD; i++) {
            log.info("thread {} line {}", thread, i);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS); // a deadlock fails here
      }
    } finally {
      pool.shutdownNow();
    }
    // Kafka's producer threads (and the SDK's I/O thread) really logged into the appender meanwhile.
    await().atMost(Duration.ofSeconds(30)).until(() -> fallback.events().stream()
        .anyMatch(e -> e.getLoggerName().startsWith("org.apache.kafka.clients.producer")));
    global.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();

    List<ConsumerRecord<String, String>> records = KAFKA.broker().reader().drain("logs.recursion", Duration.ofSeconds(1));
    ObjectMapper json = new ObjectMapper();
    List<String> loggers = new ArrayList<>();
    for (ConsumerRecord<String, String> r : records) {
      loggers.add(json.readTree(r.value()).path("log").path("logger").asText());
    }
    assertThat(loggers.stream().filter(l -> !l.equals("com.acme.Busy")).distinct().toList()).isEmpty();
    assertThat(records.size()).isEqualTo(THREADS * PER_THREAD);
    assertThat(appender.getShippedCount()).isEqualTo(THREADS * PER_THREAD);
    assertThat(appender.getExcludedCount()).isPositive().isEqualTo(fallback.count()).isEqualTo(appender.getFallbackCount());
    LoggerExclusions exclusions = new LoggerExclusions();
    assertThat(fallback.events().stream().map(ILoggingEvent::getLoggerName).filter(name -> !exclusions.excludes(name))
        .distinct().toList()).as("fallback events of loggers that are not excluded").isEmpty();
  }
}
