package com.example.payments.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends payments to the payment API at a fixed rate for a fixed time: single payments and batches,
 * a share of them invalid (bad amount, unknown currency, missing merchant, bad card number,
 * malformed JSON), half of them with an {@code X-Correlation-ID} of their own. Prints a progress
 * line at an interval and returns a {@link Report}.
 *
 * <pre>{@code
 * LoadGenerator.Report report = LoadGenerator.builder("http://127.0.0.1:8080")
 *     .rate(20).duration(Duration.ofMinutes(1)).errorRatio(0.1).build().run();
 * }</pre>
 */
public final class LoadGenerator {
  public static final double DEFAULT_RATE = 10;
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
  public static final double DEFAULT_ERROR_RATIO = 0.1;
  public static final double DEFAULT_BATCH_RATIO = 0.3;
  public static final int DEFAULT_MAX_BATCH_SIZE = 10;
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);
  /** Most requests in flight at once; beyond it the generator falls behind rather than pile up. */
  static final int MAX_IN_FLIGHT = 16;
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** Responses kept for {@link Report#responses()}. */
  static final int MAX_KEPT_RESPONSES = 10_000;

  /** The test card numbers the generator uses (Luhn-valid, well-known test numbers). */
  static final List<String> TEST_CARDS = List.of("4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005",
      "6011111111111117");
  private static final List<String> CURRENCIES = List.of("EUR", "EUR", "EUR", "USD", "USD", "GBP", "CHF", "JPY");

  private final URI baseUri;
  private final double rate;
  private final Duration duration;
  private final double errorRatio;
  private final double batchRatio;
  private final int maxBatchSize;
  private final PrintStream progress;
  private final Duration progressInterval;
  private final Random random;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicBoolean stopped = new AtomicBoolean();

  private final LongAdder sent = new LongAdder();
  private final LongAdder payments = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final LongAdder invalid = new LongAdder();
  private final LongAdder unavailable = new LongAdder();
  private final LongAdder otherStatus = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder latencyMicros = new LongAdder();
  private final ConcurrentLinkedQueue<Response> responses = new ConcurrentLinkedQueue<>();
  private final AtomicInteger kept = new AtomicInteger();

  private LoadGenerator(Builder b) {
    this.baseUri = URI.create(b.baseUrl.endsWith("/") ? b.baseUrl : b.baseUrl + "/");
    this.rate = b.rate;
    this.duration = b.duration;
    this.errorRatio = b.errorRatio;
    this.batchRatio = b.batchRatio;
    this.maxBatchSize = b.maxBatchSize;
    this.progress = b.progress;
    this.progressInterval = b.progressInterval;
    this.random = new Random(b.seed);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** A builder for a generator against the API at {@code baseUrl} ({@code http://127.0.0.1:8080}). */
  public static Builder builder(String baseUrl) {
    return new Builder(baseUrl);
  }

  /**
   * One answered request.
   *
   * @param endpoint {@code single} or {@code batch}
   * @param status the HTTP status
   * @param correlationId the {@code X-Correlation-ID} the service returned
   * @param sentCorrelationId the one the generator sent, or {@code null} if it let the service make one
   * @param paymentIds the accepted payment ids (empty unless 200)
   */
  public record Response(String endpoint, int status, String correlationId, String sentCorrelationId,
      List<String> paymentIds) {}

  /** What a run did. */
  public record Report(long requests, long payments, long ok, long invalid, long unavailable, long otherStatus,
      long errors, double meanLatencyMillis, List<Response> responses) {
    @Override
    public String toString() {
      return String.format("requests=%d payments=%d ok=%d invalid(400)=%d unavailable(503)=%d other=%d errors=%d mean=%.1fms",
          requests, payments, ok, invalid, unavailable, otherStatus, errors, meanLatencyMillis);
    }
  }

  /** Stops a {@link #run()} in progress (from another thread); it returns its report soon after. */
  public void stop() {
    stopped.set(true);
  }

  /** Sends for the configured duration (or until {@link #stop()}), then waits for the answers. */
  public Report run() {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long periodNanos = (long) (1_000_000_000L / rate);
    long nextProgress = start + progressInterval.toNanos();
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    ExecutorService senders = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "load-generator");
      t.setDaemon(true);
      return t;
    });
    try {
      long next = start;
      while (!stopped.get() && next < end) {
        long now = System.nanoTime();
        if (now < next) {
          TimeUnit.NANOSECONDS.sleep(Math.min(next - now, 100_000_000L));
          continue;
        }
        if (progress != null && now >= nextProgress) {
          progress.println(progressLine(now - start));
          nextProgress += progressInterval.toNanos();
        }
        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue; // behind: the service is slow; the rate drops rather than the queue growing
        }
        HttpRequest request = nextRequest();
        senders.execute(() -> {
          try {
            send(request);
          } finally {
            inFlight.release();
          }
        });
        next += periodNanos;
      }
      inFlight.tryAcquire(MAX_IN_FLIGHT, REQUEST_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      senders.shutdownNow();
    }
    if (progress != null) {
      progress.println(progressLine(System.nanoTime() - start) + " (done)");
    }
    return report();
  }

  /** The report so far (also while running). */
  public Report report() {
    long answered = ok.sum() + invalid.sum() + unavailable.sum() + otherStatus.sum();
    return new Report(sent.sum(), payments.sum(), ok.sum(), invalid.sum(), unavailable.sum(), otherStatus.sum(),
        errors.sum(), answered == 0 ? 0 : latencyMicros.sum() / 1000.0 / answered,
        Collections.unmodifiableList(new ArrayList<>(responses)));
  }

  private String progressLine(long elapsedNanos) {
    Report r = report();
    String of = duration.compareTo(Duration.ofDays(1)) < 0 ? "/" + duration.toSeconds() + "s" : "";
    return String.format("load: %3ds%s sent=%d payments=%d ok=%d invalid=%d unavailable=%d errors=%d mean=%.1fms",
        TimeUnit.NANOSECONDS.toSeconds(elapsedNanos), of, r.requests(), r.payments(), r.ok(),
        r.invalid(), r.unavailable(), r.errors() + r.otherStatus(), r.meanLatencyMillis());
  }

  private HttpRequest nextRequest() {
    boolean batch = random.nextDouble() < batchRatio;
    boolean bad = random.nextDouble() < errorRatio;
    String endpoint = batch ? "batch" : "single";
    String body;
    int count = 1;
    if (bad && random.nextInt(5) == 0) {
      body = "{\"amount\": 12.5, \"currency\": ";                       // malformed JSON
    } else if (batch) {
      count = 1 + random.nextInt(maxBatchSize);
      List<Map<String, Object>> items = new ArrayList<>(count);
      int badIndex = bad ? random.nextInt(count) : -1;
      for (int i = 0; i < count; i++) {
        items.add(payment(i == badIndex));
      }
      body = write(Map.of("payments", items));
    } else {
      body = write(payment(bad));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(baseUri.resolve("payments/" + endpoint))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (random.nextBoolean()) {
      request.header("X-Correlation-ID", "load-" + UUID.randomUUID());
    }
    payments.add(count);
    return request.build();
  }

  private Map<String, Object> payment(boolean invalidOne) {
    Map<String, Object> p = new LinkedHashMap<>();
    // mostly small amounts, a few large ones that the simulated provider declines
    double amount = random.nextInt(50) == 0 ? 5000 + random.nextInt(5000) : Math.round(Math.exp(random.nextGaussian() + 3.5) * 100) / 100.0;
    p.put("amount", Math.max(0.01, amount));
    p.put("currency", CURRENCIES.get(random.nextInt(CURRENCIES.size())));
    p.put("merchant_id", "merchant-" + (1 + random.nextInt(20)));
    String card = TEST_CARDS.get(random.nextInt(TEST_CARDS.size()));
    p.put("card_number", card);
    p.put("description", "order " + (100000 + random.nextInt(900000)));
    if (invalidOne) {
      switch (random.nextInt(4)) {
        case 0 -> p.put("amount", -1 - random.nextInt(100));
        case 1 -> p.put("currency", "XYZ");
        case 2 -> p.remove("merchant_id");
        default -> p.put("card_number", card.substring(0, card.length() - 1) + ((card.charAt(card.length() - 1) - '0' + 1) % 10));
      }
    }
    return p;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void send(HttpRequest request) {
    sent.increment();
    String endpoint = request.uri().getPath().endsWith("batch") ? "batch" : "single";
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      latencyMicros.add((System.nanoTime() - t0) / 1000);
      int status = response.statusCode();
      switch (status) {
        case 200 -> ok.increment();
        case 400 -> invalid.increment();
        case 503 -> unavailable.increment();
        default -> otherStatus.increment();
      }
      List<String> ids = List.of();
      if (status == 200) {
        List<String> list = new ArrayList<>();
        json.readTree(response.body()).path("payment_ids").forEach(n -> list.add(n.asText()));
        ids = List.copyOf(list);
      }
      if (kept.incrementAndGet() <= MAX_KEPT_RESPONSES) {
        responses.add(new Response(endpoint, status, response.headers().firstValue("X-Correlation-ID").orElse(null),
            request.headers().firstValue("X-Correlation-ID").orElse(null), ids));
      }
    } catch (java.io.IOException e) {
      errors.increment();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link LoadGenerator}. */
  public static final class Builder {
    private final String baseUrl;
    private double rate = DEFAULT_RATE;
    private Duration duration = DEFAULT_DURATION;
    private double errorRatio = DEFAULT_ERROR_RATIO;
    private double batchRatio = DEFAULT_BATCH_RATIO;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private PrintStream progress;
    private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
    private long seed = System.nanoTime();

    private Builder(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** Requests per second; default {@value #DEFAULT_RATE}. */
    public Builder rate(double requestsPerSecond) {
      if (!(requestsPerSecond > 0 && requestsPerSecond <= 10_000)) {
        throw new IllegalArgumentException("rate must be within (0, 10000] requests per second");
      }
      this.rate = requestsPerSecond;
      return this;
    }

    /** How long to send; default 60 s. */
    public Builder duration(Duration duration) {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("duration must be positive");
      }
      this.duration = duration;
      return this;
    }

    /** Share of requests that are invalid (0..1); default {@value #DEFAULT_ERROR_RATIO}. */
    public Builder errorRatio(double errorRatio) {
      if (errorRatio < 0 || errorRatio > 1) {
        throw new IllegalArgumentException("errorRatio must be within [0, 1]");
      }
      this.errorRatio = errorRatio;
      return this;
    }

    /** Share of requests that are batches (0..1); default {@value #DEFAULT_BATCH_RATIO}. */
    public Builder batchRatio(double batchRatio) {
      if (batchRatio < 0 || batchRatio > 1) {
        throw new IllegalArgumentException("batchRatio must be within [0, 1]");
      }
      this.batchRatio = batchRatio;
      return this;
    }

    /** Largest batch; default {@value #DEFAULT_MAX_BATCH_SIZE}. */
    public Builder maxBatchSize(int maxBatchSize) {
      if (maxBatchSize <= 0) {
        throw new IllegalArgumentException("maxBatchSize must be positive");
      }
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /** Where progress lines go (none by default), and how often; default every 5 s. */
    public Builder progress(PrintStream out, Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("progress interval must be positive");
      }
      this.progress = out;
      this.progressInterval = interval;
      return this;
    }

    /** Seed of the random choices, for a repeatable mix. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public LoadGenerator build() {
      return new LoadGenerator(this);
    }
  }
}
