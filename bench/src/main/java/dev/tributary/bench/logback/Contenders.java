package dev.tributary.bench.logback;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.util.Duration;
import com.github.danielwegener.logback.kafka.KafkaAppender;
import com.github.danielwegener.logback.kafka.delivery.AsynchronousDeliveryStrategy;
import com.github.danielwegener.logback.kafka.keying.NoKeyKeyingStrategy;
import dev.tributary.logback.TributaryAppender;
import java.io.OutputStream;
import org.slf4j.MDC;

/** The logging set-ups the benchmark compares, each in its own LoggerContext with one appender at the root. */
final class Contenders {
  /** The peer's line: a classic pattern layout, ~250 bytes with {@link Lines#message}. */
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ} %-5level [%thread] %logger - %msg%n";
  static final String LOGGER = "com.acme.checkout.OrderService";

  private Contenders() {}

  /** A logger whose root has {@code appender} (already configured, not started); starts it. */
  static Logger logger(LoggerContext context, Appender<ILoggingEvent> appender) {
    appender.setContext(context);
    appender.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    return context.getLogger(LOGGER);
  }

  static LoggerContext context(String name) {
    LoggerContext context = new LoggerContext();
    context.setName(name);
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.start();
    return context;
  }

  /** Tributary's appender with its own client; the SDK's throughput profile (acks=1, lz4, linger 10 ms, 64 KB). */
  static TributaryAppender tributary(String bootstrap, String topic, int bufferCapacity, long closeTimeoutMillis) {
    TributaryAppender a = new TributaryAppender();
    a.setName("tributary");
    a.setBootstrapServers(bootstrap);
    a.setServiceName("bench");
    a.setInstanceId("bench-1");
    a.setTopic(topic);
    a.setBufferCapacity(bufferCapacity);
    // Measure the pipeline, not the SDK's default rate limit (logs 10k/s, burst 20k).
    a.setRateLimit(10_000_000);
    a.setRateBurst(10_000_000);
    a.setCloseTimeout(Duration.buildByMilliseconds(closeTimeoutMillis));
    return a;
  }

  /** logback-kafka-appender with the same producer profile as Tributary's. */
  static KafkaAppender<ILoggingEvent> peer(LoggerContext context, String bootstrap, String topic, Long maxBlockMs) {
    KafkaAppender<ILoggingEvent> a = new KafkaAppender<>();
    a.setName("peer");
    a.setContext(context);
    a.setTopic(topic);
    a.setEncoder(encoder(context));
    a.setKeyingStrategy(new NoKeyKeyingStrategy());
    a.setDeliveryStrategy(new AsynchronousDeliveryStrategy());
    a.addProducerConfig("bootstrap.servers=" + bootstrap);
    a.addProducerConfig("acks=1");
    a.addProducerConfig("compression.type=lz4");
    a.addProducerConfig("linger.ms=10");
    a.addProducerConfig("batch.size=65536");
    a.addProducerConfig("client.id=peer-" + topic);
    if (maxBlockMs != null) {
      a.addProducerConfig("max.block.ms=" + maxBlockMs);
    }
    return a;
  }

  /** Logback's AsyncAppender (defaults: queue 256) over an OutputStreamAppender writing the pattern to a null stream. */
  static AsyncAppender asyncToNull(LoggerContext context) {
    OutputStreamAppender<ILoggingEvent> sink = new OutputStreamAppender<>();
    sink.setName("null");
    sink.setContext(context);
    sink.setEncoder(encoder(context));
    sink.setOutputStream(OutputStream.nullOutputStream());
    sink.start();
    AsyncAppender async = new AsyncAppender();
    async.setName("async");
    async.setContext(context);
    async.addAppender(sink);
    return async;
  }

  static PatternLayoutEncoder encoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }
}
