package com.example.payments.demo;

import com.example.payments.PaymentServiceMain;
import com.example.payments.load.LoadGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/demo}: starts the {@link Demo}, prints the URLs, runs the load generator, and stops
 * everything on Ctrl-C or after {@code --duration}.
 *
 * <pre>
 * DemoMain [--root DIR] [--duration 10m] [--rate 20] [--error-ratio 0.1] [--no-elasticsearch]
 *          [--no-prometheus] [--no-load] [--metrics-step 5s] [--scrape-interval 5s]
 * </pre>
 * Exit status 2 on a bad option, 1 if the demo cannot start.
 */
public final class DemoMain {
  static final String USAGE = """
      usage: bin/demo [--duration 10m] [--rate 20] [--error-ratio 0.1] [--no-elasticsearch] [--no-prometheus]
                      [--no-load] [--metrics-step 5s] [--scrape-interval 5s] [--root DIR]
        --duration D        stop everything after D (500ms, 30s, 5m); default: run until Ctrl-C
        --rate N            load generator requests per second (default 20)
        --error-ratio R     share of invalid requests, 0..1 (default 0.1)
        --no-elasticsearch  run without Elasticsearch and its sidecar
        --no-prometheus     do not start Prometheus even if installed
        --no-load           do not start the load generator
        --metrics-step D    the payment service's metrics step (default 5s)
        --scrape-interval D Prometheus' scrape interval (default 5s)
        --root DIR          the Tributary checkout (default: the current directory)""";

  private DemoMain() {}

  public static void main(String[] args) throws InterruptedException {
    // the demo's own logging (Kafka's admin client) stays quiet: not the payment service's logback.xml
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", Demo.DEMO_LOGBACK);
    }
    Path root = Path.of(".");
    Duration duration = null;
    double rate = 20;
    double errorRatio = 0.1;
    boolean elasticsearch = true;
    boolean prometheus = true;
    boolean load = true;
    Duration step = Demo.DEFAULT_METRICS_STEP;
    Duration scrape = Demo.DEFAULT_SCRAPE_INTERVAL;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--no-elasticsearch" -> elasticsearch = false;
          case "--no-prometheus" -> prometheus = false;
          case "--no-load" -> load = false;
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value" : "unknown argument " + a);
            }
            String v = args[++i];
            switch (a) {
              case "--root" -> root = Path.of(v);
              case "--duration" -> duration = PaymentServiceMain.parseDuration(v);
              case "--rate" -> rate = Double.parseDouble(v);
              case "--error-ratio" -> errorRatio = Double.parseDouble(v);
              case "--metrics-step" -> step = PaymentServiceMain.parseDuration(v);
              case "--scrape-interval" -> scrape = PaymentServiceMain.parseDuration(v);
              default -> throw new IllegalArgumentException("unknown option " + a);
            }
          }
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }

    Demo.Builder builder = Demo.builder().root(root).metricsStep(step).scrapeInterval(scrape);
    if (!elasticsearch) {
      builder.elasticsearchHome(null);
    }
    if (!prometheus) {
      builder.prometheusBinary(null);
    }
    Demo demo;
    try {
      demo = builder.start();
    } catch (RuntimeException e) {
      System.err.println("demo: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    LoadGenerator generator = !load ? null : LoadGenerator.builder(demo.paymentServiceUrl()).rate(rate)
        .errorRatio(errorRatio).duration(duration != null ? duration : Duration.ofDays(365))
        .progress(System.out, Duration.ofSeconds(10)).build();
    Thread hook = new Thread(() -> {
      System.out.println("demo: stopping ...");
      if (generator != null) {
        generator.stop();
      }
      demo.close();
      done.countDown();
    }, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    printUrls(demo, duration);
    if (generator != null) {
      Thread loadThread = new Thread(() -> System.out.println("load: " + generator.run()), "load-generator-main");
      loadThread.setDaemon(true);
      loadThread.start();
    }
    boolean finished = duration != null ? done.await(duration.toMillis(), TimeUnit.MILLISECONDS) : awaitForever(done);
    if (!finished) {
      System.out.println("demo: --duration " + duration.toSeconds() + "s reached");
      System.exit(0); // runs the hook: stops everything
    }
  }

  private static boolean awaitForever(CountDownLatch done) throws InterruptedException {
    done.await();
    return true;
  }

  static void printUrls(Demo demo, Duration duration) {
    Map<String, String> urls = demo.urls();
    String payment = demo.paymentServiceUrl();
    StringBuilder s = new StringBuilder("\n=== Tributary demo is running (logs in ").append(demo.workDir()).append(") ===\n");
    s.append(String.format("  %-22s %s%n", "Kafka", urls.get("kafka")));
    s.append(String.format("  %-22s %s  (POST /payments/single, /payments/batch; GET /health, /stats)%n", "payment service", payment));
    s.append(String.format("  %-22s %s%n", "Prometheus sidecar", urls.get("prometheus-sidecar")));
    if (urls.containsKey("elasticsearch")) {
      s.append(String.format("  %-22s %s  (indices logs-payment-service-*, events-payment-*)%n", "Elasticsearch", urls.get("elasticsearch")));
      s.append(String.format("  %-22s %s%n", "Elasticsearch sidecar", urls.get("elasticsearch-sidecar")));
    }
    if (urls.containsKey("prometheus")) {
      s.append(String.format("  %-22s %s  (try: sum by (status) (rate(payments_processed_total[1m])))%n", "Prometheus", urls.get("prometheus")));
      if (!demo.ruleFiles().isEmpty()) {
        s.append(String.format("  %-22s %s/alerts  (%d rule files)%n", "alerts", urls.get("prometheus"), demo.ruleFiles().size()));
      }
    } else {
      s.append("  Prometheus             not started (not installed, or --no-prometheus)\n");
    }
    s.append("\nTry:\n");
    s.append("  curl -si -H 'X-Correlation-ID: demo-1' -H 'Content-Type: application/json' ").append(payment)
        .append("/payments/single -d '{\"amount\": 12.50, \"currency\": \"EUR\", \"merchant_id\": \"m-1\", \"card_number\": \"4111 1111 1111 1111\"}'\n");
    if (urls.containsKey("elasticsearch")) {
      s.append("  curl -s '").append(urls.get("elasticsearch"))
          .append("/logs-payment-service-*/_search?q=correlation.id:demo-1&pretty'\n");
    }
    s.append(duration != null ? "\nStops by itself after " + duration.toSeconds() + " s, or on Ctrl-C.\n" : "\nCtrl-C stops everything.\n");
    System.out.println(s);
  }
}
