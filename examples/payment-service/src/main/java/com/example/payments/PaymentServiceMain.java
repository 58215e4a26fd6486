package com.example.payments;

import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Runs the payment service until SIGTERM or Ctrl-C.
 *
 * <pre>
 * java -cp ... com.example.payments.PaymentServiceMain --bootstrap-servers 127.0.0.1:9092 [--port 8080]
 *     [--host 127.0.0.1] [--requests-topic payments.requests] [--kafka-timeout 2s]
 * </pre>
 *
 * <p>The Tributary client is configured from {@code TRIBUTARY_*} variables (docs/sdk-core.md),
 * for example {@code TRIBUTARY_INSTANCE_ID} and {@code TRIBUTARY_METRICS_STEP}. Once the API
 * listens it prints {@code PAYMENT_SERVICE_URL=http://127.0.0.1:<port>} on standard output.
 * Exit status 2 on a bad option.
 */
public final class PaymentServiceMain {
  /** The line announcing the API's address; launchers wait for it. */
  public static final String URL_PREFIX = "PAYMENT_SERVICE_URL=";

  private PaymentServiceMain() {}

  public static void main(String[] args) throws InterruptedException {
    PaymentService.Builder builder = PaymentService.builder();
    String bootstrap = System.getenv("PAYMENT_BOOTSTRAP_SERVERS");
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--bootstrap-servers" -> bootstrap = required(args[i], value);
          case "--port" -> builder.httpPort(Integer.parseInt(required(args[i], value)));
          case "--host" -> builder.httpHost(required(args[i], value));
          case "--requests-topic" -> builder.requestsTopic(required(args[i], value));
          case "--kafka-timeout" -> builder.kafkaTimeout(parseDuration(required(args[i], value)));
          case "--help", "-h" -> {
            System.out.println("usage: PaymentServiceMain --bootstrap-servers HOST:PORT [--port N] [--host ADDR]"
                + " [--requests-topic NAME] [--kafka-timeout 2s]");
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
      if (bootstrap == null) {
        throw new IllegalArgumentException("--bootstrap-servers (or PAYMENT_BOOTSTRAP_SERVERS) is required");
      }
      builder.bootstrapServers(bootstrap);
    } catch (IllegalArgumentException e) {
      System.err.println("payment-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    PaymentService service = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      // flushes the appender (which ships through the service's client, already flushed on close)
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
        context.stop();
      }
      stopped.countDown();
    }, "payment-service-shutdown"));
    System.out.println(URL_PREFIX + service.url());
    System.out.flush();
    stopped.await();
  }

  private static String required(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, or a number of seconds. */
  public static Duration parseDuration(String text) {
    String t = text.trim();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
      }
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration: " + text + " (use 500ms, 30s, 5m)");
    }
  }
}
