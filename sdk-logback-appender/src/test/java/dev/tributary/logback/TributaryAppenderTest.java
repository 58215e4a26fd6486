package dev.tributary.logback;

import static dev.tributary.logback.LogbackContexts.appender;
import static dev.tributary.logback.LogbackContexts.configure;
import static dev.tributary.logback.LogbackContexts.fallback;
import static dev.tributary.logback.LogbackContexts.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.LoggingEventVO;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.Correlation;
import dev.tributary.LogLevel;
import dev.tributary.Registration;
import dev.tributary.Tributary;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;

/** The appender against a real broker: the envelope it writes, what it never ships, and where that goes. */
class TributaryAppenderTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final ObjectMapper JSON = new ObjectMapper();

  private LoggerContext context;

  @AfterEach
  void stopContext() {
    MDC.clear();
    if (context != null) {
      context.stop();
    }
  }

  private LoggerContext start(String xml) {
    context = configure(xml, Map.of("bootstrap", KAFKA.broker().bootstrapServers()));
    assertThat(statuses(context, Status.WARN)).as("configuration problems").isEmpty();
    return context;
  }

  private static List<String> messages(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(r -> read(r.value()).path("message").asText()).toList();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String printed(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void envelopesOfLogbackEventsAreTheGoldenWireFormatExamples() throws IOException {
    start(AppenderXml.withFallback("""
        <bootstrapServers>${bootstrap}</bootstrapServers>
        <serviceName>checkout</serviceName>
        <serviceVersion>1.4.2</serviceVersion>
        <environment>prod</environment>
        <instanceId>checkout-7f9c4</instanceId>
        <topic>logs.golden</topic>
        <includeCallerData>true</includeCallerData>
        """));
    TributaryAppender appender = appender(context, "TRIBUTARY");

    LoggingEvent accepted = new LoggingEvent(Logger.class.getName(), context.getLogger("com.acme.checkout.OrderService"),
        Level.INFO, "Order {} accepted", null, new Object[] {"A-1001"});
    accepted.setInstant(Instant.parse("2026-11-23T10:15:30.123Z"));
    accepted.setThreadName("http-nio-8080-exec-3");
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put("correlation_id", "c0ffee00-1234-4abc-8def-000000000001");
    mdc.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    mdc.put("span_id", "00f067aa0ba902b7");
    mdc.put("trace_flags", "01");
    mdc.put("tenant", "acme");
    mdc.put("region", "eu-west-1");
    accepted.setMDCPropertyMap(mdc);
    accepted.addKeyValuePair(new KeyValuePair("order_id", "A-1001"));
    accepted.addKeyValuePair(new KeyValuePair("amount", 42.5));
    accepted.addKeyValuePair(new KeyValuePair("items", 3));
    accepted.addKeyValuePair(new KeyValuePair("express", true));
    accepted.addMarker(MarkerFactory.getDetachedMarker("AUDIT"));
    accepted.setCallerData(new StackTraceElement[0]);

    SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
    timeout.setStackTrace(new StackTraceElement[] {
        new StackTraceElement(null, "java.base", null, "sun.nio.ch.NioSocketImpl", "timedRead", "NioSocketImpl.java", 278)});
    UncheckedIOException failure = new UncheckedIOException(timeout);
    failure.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("com.acme.checkout.PaymentClient", "charge", "PaymentClient.java", 88)});
    LoggingEvent failed = new LoggingEvent(Logger.class.getName(), context.getLogger("com.acme.checkout.PaymentClient"),
        Level.ERROR, "Payment provider call failed", failure, null);
    failed.setInstant(Instant.parse("2026-11-23T10:15:30.128Z"));
    failed.setThreadName("worker-1");
    failed.setMDCPropertyMap(Map.of());
    failed.setCallerData(new StackTraceElement[] {
        new StackTraceElement("com.acme.checkout.PaymentClient", "charge", "PaymentClient.java", 88)});

    appender.doAppend(accepted);
    appender.doAppend(failed);

    List<ConsumerRecord<String, String>> records = KAFKA.broker().reader().records("logs.golden", 2, WAIT);
    Path examples = Path.of(System.getProperty("docs.dir"), "wire-format", "examples");
    String goldenRun = "5f1f2c1e-8a3b-4c1d-9e2f-0a1b2c3d4e5f";
    String run = read(records.get(0).value()).path("tributary").path("run").asText();
    assertThat(records.get(0).value().replace(run, goldenRun))
        .isEqualTo(Files.readString(examples.resolve("log.json"), StandardCharsets.UTF_8).strip());
    assertThat(records.get(1).value().replace(run, goldenRun))
        .isEqualTo(Files.readString(examples.resolve("log-error.json"), StandardCharsets.UTF_8).strip());
    assertThat(appender.getShippedCount()).isEqualTo(2);
  }

  @Test
  void mdcKeyValuesMarkersAndExceptionOfAnSlf4jCallRoundTripWithExactFields() {
    start(AppenderXml.withFallback(AppenderXml.client("orders", "logs.fluent", "")));
    org.slf4j.Logger log = context.getLogger("com.acme.orders.OrderService");
    Marker audit = MarkerFactory.getDetachedMarker("AUDIT");
    audit.add(MarkerFactory.getDetachedMarker("PII"));
    IllegalStateException failure = new IllegalStateException("stock service refused", new IOException("connection reset"));
    Object customer = new Object() {
      @Override
      public String toString() {
        return "Customer{id=42}";
      }
    };

    MDC.put("tenant", "acme");
    MDC.put("http.method", "POST");
    MDC.put("message", "an MDC key named like a standard field");
    try (Correlation.Scope scope = Correlation.open("corr-7")) {
      log.atWarn().addMarker(audit).addMarker(MarkerFactory.getDetachedMarker("PII"))
          .addKeyValue("order_id", "A-1").addKeyValue("amount", 12.5).addKeyValue("items", 2)
          .addKeyValue("express", false).addKeyValue("customer", customer).addKeyValue("coupon", (Object) null)
          .setCause(failure)
          .log("Order {} failed", "A-1");
    }

    JsonNode e = KAFKA.broker().reader().envelopes("logs.fluent", 1, WAIT).get(0);
    assertThat(e.path("log").path("level").asText()).isEqualTo("WARN");
    assertThat(e.path("log").path("logger").asText()).isEqualTo("com.acme.orders.OrderService");
    assertThat(e.path("log").has("origin")).as("caller data is off by default").isFalse();
    assertThat(e.path("message").asText()).isEqualTo("Order A-1 failed");
    assertThat(e.path("process").path("thread").path("name").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(e.path("correlation")).isEqualTo(read("{\"id\":\"corr-7\"}"));
    assertThat(e.path("labels")).isEqualTo(read(
        "{\"tenant\":\"acme\",\"http_method\":\"POST\",\"message\":\"an MDC key named like a standard field\"}"));
    assertThat(e.path("fields")).isEqualTo(read(
        "{\"order_id\":\"A-1\",\"amount\":12.5,\"items\":2,\"express\":false,\"customer\":\"Customer{id=42}\",\"coupon\":null}"));
    assertThat(e.path("tags")).isEqualTo(read("[\"AUDIT\",\"PII\"]"));
    assertThat(e.path("error").path("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(e.path("error").path("message").asText()).isEqualTo("stock service refused");
    assertThat(e.path("error").path("stack_trace").asText()).isEqualTo(printed(failure)).contains("Caused by: java.io.IOException");
    assertThat(e.has("trace")).isFalse();
    assertThat(e.path("service").path("node").path("name").asText()).isEqualTo("orders-1");
  }

  @Test
  void eachCallShipsTheMdcOfItsMomentRedactedWhenTheMdcChangesBetweenCalls() {
    start(AppenderXml.withFallback(AppenderXml.client("orders", "logs.mdc", "")));
    org.slf4j.Logger log = context.getLogger("com.acme.orders.OrderService");

    MDC.put("tenant", "acme");
    MDC.put("user", "jane@example.com");
    log.info("first");
    log.info("second");
    MDC.put("tenant", "globex");
    log.info("third");
    MDC.remove("user");
    MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    MDC.put("span_id", "00f067aa0ba902b7");
    log.info("fourth");
    MDC.clear();
    log.info("fifth");

    Map<String, JsonNode> byMessage = new java.util.HashMap<>();
    for (JsonNode e : KAFKA.broker().reader().envelopes("logs.mdc", 5, WAIT)) {
      byMessage.put(e.path("message").asText(), e);
    }
    assertThat(byMessage.get("first").path("labels")).isEqualTo(read("{\"tenant\":\"acme\",\"user\":\"[REDACTED]\"}"));
    assertThat(byMessage.get("second").path("labels")).isEqualTo(read("{\"tenant\":\"acme\",\"user\":\"[REDACTED]\"}"));
    assertThat(byMessage.get("third").path("labels")).isEqualTo(read("{\"tenant\":\"globex\",\"user\":\"[REDACTED]\"}"));
    assertThat(byMessage.get("fourth").path("labels")).isEqualTo(read("{\"tenant\":\"globex\"}"));
    assertThat(byMessage.get("fourth").path("trace").path("id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(byMessage.get("fourth").path("span").path("id").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(byMessage.get("fifth").has("labels")).isFalse();
    assertThat(byMessage.get("fifth").has("trace")).isFalse();
    assertThat(byMessage.get("third").has("trace")).isFalse();
  }

  @Test
  void exceptionKnownOnlyAsALogbackProxyIsRenderedFromTheProxy() {
    start(AppenderXml.withFallback(AppenderXml.client("remote", "logs.proxy", "")));
    IOException cause = new IOException("disk full");
    IllegalStateException failure = new IllegalStateException("could not save", cause);
    failure.addSuppressed(new IllegalArgumentException("while closing"));
    LoggingEvent original = new LoggingEvent(Logger.class.getName(), context.getLogger("com.acme.Remote"), Level.ERROR,
        "save failed", failure, null);
    original.setMDCPropertyMap(Map.of());
    // What a SocketReceiver hands over: the exception only as data.
    LoggingEventVO remote = LoggingEventVO.build(original);
    assertThat(remote.getThrowableProxy()).isNotInstanceOf(ch.qos.logback.classic.spi.ThrowableProxy.class);

    appender(context, "TRIBUTARY").doAppend(remote);
    assertThat(statuses(context, Status.WARN)).isEmpty();

    JsonNode error = KAFKA.broker().reader().envelopes("logs.proxy", 1, WAIT).get(0).path("error");
    assertThat(error.path("stack_trace").asText()).isEqualTo(printed(failure))
        .contains("Suppressed: java.lang.IllegalArgumentException: while closing", "Caused by: java.io.IOException: disk full");
    assertThat(error.path("message").asText()).isEqualTo("could not save");
    // LogEntry only takes a Throwable, so the stand-in's class is the type (docs/logback.md says so).
    assertThat(error.path("type").asText()).isEqualTo(ProxiedThrowable.class.getName());
  }

  @Test
  void stackTracesAreCutToMaxStackTraceChars() {
    start(AppenderXml.withFallback(AppenderXml.client("deep", "logs.deep", "<maxStackTraceChars>300</maxStackTraceChars>")));
    RuntimeException failure = new RuntimeException("deep");
    String full = printed(failure);
    assertThat(full.length()).isGreaterThan(300);

    context.getLogger("com.acme.Deep").error("failed", failure);

    String stack = KAFKA.broker().reader().envelopes("logs.deep", 1, WAIT).get(0).path("error").path("stack_trace").asText();
    assertThat(stack).hasSize(300).startsWith("java.lang.RuntimeException: deep\n")
        .endsWith("... [truncated from " + full.length() + " chars]");
  }

  @Test
  void kafkaTributaryAndExcludedLoggersGoToTheFallbackAndNeverToKafka() {
    start(AppenderXml.withFallback(AppenderXml.client("excluding", "logs.excluded",
        "<excludeLogger>com.acme.noisy</excludeLogger>")));
    TributaryAppender appender = appender(context, "TRIBUTARY");
    CollectingAppender fallback = fallback(appender, "FALLBACK");

    context.getLogger("org.apache.kafka.clients.NetworkClient").warn("kafka client line");
    context.getLogger("kafka.server.BrokerServer").info("kafka broker line");
    context.getLogger("dev.tributary.internal.IoWorker").warn("tributary line");
    context.getLogger("com.acme.noisy.Poller").info("noisy line");
    context.getLogger("org.apache.kafkaesque.Thing").info("a different hierarchy");
    context.getLogger("com.acme.App").info("application line");
    context.stop();

    assertThat(messages(KAFKA.broker().reader().drain("logs.excluded", QUIET)))
        .containsExactly("a different hierarchy", "application line");
    assertThat(fallback.messages()).containsExactly("kafka client line", "kafka broker line", "tributary line", "noisy line");
    assertThat(appender.getExcludedCount()).isEqualTo(4);
    assertThat(appender.getFallbackCount()).isEqualTo(4);
    assertThat(appender.getShippedCount()).isEqualTo(2);
    assertThat(appender.getDroppedCount()).isZero();
  }

  @Test
  void loggingFromInsideTheAppenderOnTheSameThreadGoesToTheFallbackNeverToKafka() {
    start(AppenderXml.withFallback(AppenderXml.client("reentrant", "logs.reentrant", "")));
    TributaryAppender appender = appender(context, "TRIBUTARY");
    CollectingAppender fallback = fallback(appender, "FALLBACK");
    org.slf4j.Logger inner = context.getLogger("com.acme.Inner");
    Object loggingValue = new Object() {
      @Override
      public String toString() {
        inner.info("logged while the appender renders a value");
        return "rendered";
      }
    };

    context.getLogger("com.acme.Outer").atInfo().addKeyValue("value", loggingValue).log("outer");
    context.stop();

    List<ConsumerRecord<String, String>> shipped = KAFKA.broker().reader().drain("logs.reentrant", QUIET);
    assertThat(messages(shipped)).containsExactly("outer");
    assertThat(read(shipped.get(0).value()).path("fields").path("value").asText()).isEqualTo("rendered");
    assertThat(fallback.messages()).containsExactly("logged while the appender renders a value");
    assertThat(appender.getRecursiveCount()).isEqualTo(1);
    assertThat(appender.getShippedCount()).isEqualTo(1);
  }

  @Test
  void sharedClientReceivesEventsLoggedBeforeItWasRegisteredAndIsNeverClosedByTheAppender() {
    start(AppenderXml.withFallback("<clientRef>shared-client-test</clientRef>"));
    TributaryAppender appender = appender(context, "TRIBUTARY");
    org.slf4j.Logger log = context.getLogger("com.acme.Startup");
    log.info("before the client exists 1");
    log.info("before the client exists 2");
    assertThat(appender.getShippedCount()).isZero();
    assertThat(appender.getClientStats()).isNull();

    Tributary client = Tributary.builder().bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("shared").instanceId("shared-1").logsTopic("logs.shared")
        .healthInterval(Duration.ofHours(1)).metricsStep(Duration.ofHours(1)).build();
    try (Registration registration = TributaryClients.register("shared-client-test", client)) {
      assertThat(appender.getShippedCount()).as("held events are handed over on registration").isEqualTo(2);
      log.info("after registration");
      context.stop();

      assertThat(client.sendLog(LogLevel.INFO, "the application still uses its client")).isTrue();
      assertThat(client.flush(WAIT).isComplete()).isTrue();
      assertThat(messages(KAFKA.broker().reader().drain("logs.shared", QUIET))).containsExactly(
          "before the client exists 1", "before the client exists 2", "after registration",
          "the application still uses its client");
      assertThat(statuses(context, Status.INFO)).anyMatch(s -> s.contains("ships logs through the client registered as 'shared-client-test'"));
    } finally {
      client.close();
    }
  }

  @Test
  void eventsHeldForASharedClientThatNeverCameGoToTheFallbackOnStop() {
    start(AppenderXml.withFallback("<clientRef>never-registered</clientRef><pendingCapacity>2</pendingCapacity>"));
    TributaryAppender appender = appender(context, "TRIBUTARY");
    CollectingAppender fallback = fallback(appender, "FALLBACK");
    org.slf4j.Logger log = context.getLogger("com.acme.Startup");
    log.info("held 1");
    log.info("held 2");
    log.info("over the pending capacity");
    assertThat(fallback.messages()).containsExactly("over the pending capacity");

    context.stop();

    assertThat(fallback.messages()).containsExactly("over the pending capacity", "held 1", "held 2");
    assertThat(appender.getDroppedCount()).isEqualTo(3);
    assertThat(statuses(context, Status.WARN)).containsExactly("TributaryAppender[TRIBUTARY]: dropped 1 log event(s) since"
        + " the last warning (1 in all): the client's buffer is full or the client is closed; dropped events go to the"
        + " fallback appenders, if any", "TributaryAppender[TRIBUTARY]: stopped; 2 log record(s) were not"
        + " delivered within closeTimeout 5 seconds (shipped 0, dropped 3, excluded 0, recursive 0, to fallback 3)");
  }

  @Test
  void springBootStyleConfigurationParsesAndShips() throws IOException {
    try (var xml = getClass().getResourceAsStream("/logback-spring.xml")) {
      context = configure(xml, Map.of("KAFKA_BOOTSTRAP_SERVERS", KAFKA.broker().bootstrapServers(),
          "APP_NAME", "payments", "INSTANCE_ID", "payments-1"));
    }
    assertThat(statuses(context, Status.WARN)).as("configuration problems").isEmpty();
    TributaryAppender appender = appender(context, "TRIBUTARY");
    assertThat(appender.isStarted()).isTrue();
    assertThat(appender.getBootstrapServers()).isEqualTo(KAFKA.broker().bootstrapServers());
    assertThat(appender.getServiceName()).isEqualTo("payments");
    assertThat(appender.getTopic()).isEqualTo("logs.spring");
    assertThat(appender.getBufferCapacity()).isEqualTo(4096);
    assertThat(appender.getOverflowPolicy()).isEqualTo("DROP_OLDEST");
    assertThat(appender.isKeyByInstance()).isTrue();
    assertThat(appender.getProducerProperties()).containsExactlyInAnyOrderEntriesOf(
        Map.of("compression.type", "gzip", "linger.ms", "20"));
    assertThat(appender.getMaxStackTraceChars()).isEqualTo(8192);
    assertThat(appender.isIncludeCallerData()).isTrue();
    assertThat(appender.getCloseTimeout().getMilliseconds()).isEqualTo(10_000);
    assertThat(appender.getExcludedLoggers()).contains("com.zaxxer.hikari", "org.apache.kafka");

    context.getLogger("com.acme.payments.PaymentController").info("payment accepted");
    context.getLogger("com.zaxxer.hikari.pool.HikariPool").info("pool stats");

    ConsumerRecord<String, String> record = KAFKA.broker().reader().records("logs.spring", 1, WAIT).get(0);
    assertThat(record.key()).isEqualTo("payments/payments-1");
    JsonNode e = read(record.value());
    assertThat(e.path("message").asText()).isEqualTo("payment accepted");
    assertThat(e.path("service").path("name").asText()).isEqualTo("payments");
    assertThat(e.path("log").path("origin").path("function").asText()).isEqualTo("springBootStyleConfigurationParsesAndShips");
    assertThat(e.path("log").path("origin").path("file").path("name").asText()).isEqualTo("TributaryAppenderTest.java");
    assertThat(appender.getExcludedCount()).isEqualTo(1);
  }

  @Test
  void invalidSettingsAreReportedThroughTheStatusSystemAndEventsGoToTheFallback() {
    context = configure(AppenderXml.withFallback("""
        <overflowPolicy>sometimes</overflowPolicy>
        <bufferCapacity>-5</bufferCapacity>
        <producerProperty>acks</producerProperty>
        <serviceName>misconfigured</serviceName>
        """), Map.of());
    TributaryAppender appender = appender(context, "TRIBUTARY");

    assertThat(statuses(context, Status.ERROR)).containsExactly(
        "TributaryAppender[TRIBUTARY]: overflowPolicy must be drop-newest, drop-oldest or spill, was 'sometimes'; keeping the default",
        "TributaryAppender[TRIBUTARY]: bufferCapacity must be positive, was -5; keeping the default",
        "TributaryAppender[TRIBUTARY]: producerProperty must be name=value, was 'acks'; ignored",
        "TributaryAppender[TRIBUTARY]: cannot build the Tributary client: bootstrapServers must be set"
            + " (TRIBUTARY_BOOTSTRAP_SERVERS); no event will be shipped, events go to the fallback appenders only");
    context.getLogger("com.acme.App").info("still logged somewhere");
    assertThat(fallback(appender, "FALLBACK").messages()).containsExactly("still logged somewhere");
    assertThat(appender.getDroppedCount()).isEqualTo(1);
  }
}
