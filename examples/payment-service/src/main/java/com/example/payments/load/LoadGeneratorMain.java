package com.example.payments.load;

import com.example.payments.PaymentServiceMain;
import java.time.Duration;

/**
 * {@code LoadGeneratorMain --url http://127.0.0.1:8080 [--rate 10] [--duration 60s] [--error-ratio 0.1]
 * [--batch-ratio 0.3]}: sends payments and prints progress every 5 s and a summary at the end.
 * Exit status 2 on a bad option.
 */
public final class LoadGeneratorMain {
  private LoadGeneratorMain() {}

  public static void main(String[] args) {
    String url = null;
    LoadGenerator.Builder builder;
    double rate = LoadGenerator.DEFAULT_RATE;
    Duration duration = LoadGenerator.DEFAULT_DURATION;
    double errorRatio = LoadGenerator.DEFAULT_ERROR_RATIO;
    double batchRatio = LoadGenerator.DEFAULT_BATCH_RATIO;
    try {
      for (int i = 0; i + 1 < args.length || (i < args.length && args[i].startsWith("-h")); i += 2) {
        String v = i + 1 < args.length ? args[i + 1] : "";
        switch (args[i]) {
          case "--url" -> url = v;
          case "--rate" -> rate = Double.parseDouble(v);
          case "--duration" -> duration = PaymentServiceMain.parseDuration(v);
          case "--error-ratio" -> errorRatio = Double.parseDouble(v);
          case "--batch-ratio" -> batchRatio = Double.parseDouble(v);
          case "-h", "--help" -> {
            System.out.println("usage: LoadGeneratorMain --url URL [--rate N] [--duration 60s] [--error-ratio 0.1] [--batch-ratio 0.3]");
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (args.length % 2 != 0) {
        throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
      }
      if (url == null) {
        throw new IllegalArgumentException("--url is required");
      }
      builder = LoadGenerator.builder(url).rate(rate).duration(duration).errorRatio(errorRatio).batchRatio(batchRatio)
          .progress(System.out, LoadGenerator.DEFAULT_PROGRESS_INTERVAL);
    } catch (IllegalArgumentException e) {
      System.err.println("load-generator: " + e.getMessage());
      System.exit(2);
      return;
    }
    LoadGenerator generator = builder.build();
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      generator.stop();
      try {
        main.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    System.out.println("load: " + generator.run());
  }
}
