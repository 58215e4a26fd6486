package dev.tributary.bench;

import dev.tributary.LogLevel;
import dev.tributary.Tributary;
import dev.tributary.redaction.Redaction;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of redaction, side by side with none:
 * <ul>
 *   <li>{@code sendLog}: the caller's cost of {@code sendLog(level, message, fields)} (broker down,
 *       a buffer that never fills within an iteration): redaction runs on the I/O thread, so this
 *       should not move;</li>
 *   <li>{@code perRecord}: what the I/O thread adds per log record: the message and the fields
 *       through the rules, exactly as the client applies them.</li>
 * </ul>
 * Rules: {@code none} ({@link Redaction#none()}), {@code defaults} (card numbers and e-mail
 * addresses, the client's default) and {@code custom} (the defaults plus three field names and a
 * regular expression). Messages: {@code clean} (the benchmarks' usual log line, nothing to redact),
 * {@code sensitive} (a card number and an e-mail address in the message, a password field) and
 * {@code appender} (the Logback appender benchmark's 176-character line, 20 digits in short groups,
 * no fields).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RedactionBenchmark {
  /** Enough for one 300 ms iteration at 100 ns a call: the buffer never fills, every call is accepted. */
  static final int BUFFER = 1 << 22;

  @Param({"none", "defaults", "custom"})
  public String rules;

  @Param({"clean", "sensitive", "appender"})
  public String message;

  Redaction redaction;
  String text;
  Map<String, Object> fields;

  @Setup(Level.Trial)
  public void setUp() {
    BenchClients.quietLogs();
    redaction = switch (rules) {
      case "none" -> Redaction.none();
      case "defaults" -> Redaction.defaults();
      case "custom" -> Redaction.builder().fieldNames("password", "iban", "authorization")
          .pattern("\\bDE\\d{20}\\b").build();
      default -> throw new IllegalArgumentException("rules: none, defaults or custom, was " + rules);
    };
    if (message.equals("clean")) {
      text = BenchClients.LOG_MESSAGE;
      fields = BenchClients.LOG_FIELDS;
    } else if (message.equals("appender")) {
      text = dev.tributary.bench.logback.Lines.message(42);
      fields = Map.of();
    } else {
      text = "payment by jane.doe@example.com with card 4111 1111 1111 1111 authorised for order";
      fields = new LinkedHashMap<>(BenchClients.LOG_FIELDS);
      fields.put("password", "hunter2");
    }
  }

  /** A client per iteration, for {@code sendLog} only (so that {@code perRecord} runs without one). */
  @State(Scope.Benchmark)
  public static class Client {
    Tributary client;

    @Setup(Level.Iteration)
    public void newClient(RedactionBenchmark rules) {
      client = Tributary.builder()
        .bootstrapServers(BenchClients.nobodyListening())
        .serviceName(BenchClients.SERVICE)
        .instanceId("bench-1")
        .logsBufferCapacity(BUFFER)
        .logsRateLimit(0)
        .redaction(rules.redaction)
        .closeTimeout(Duration.ofMillis(1))
        .build();
    }

    @TearDown(Level.Iteration)
    public void closeClient() {
      client.close();
    }
  }

  @Benchmark
  public boolean sendLog(Client c) {
    return c.client.sendLog(LogLevel.INFO, text, fields);
  }

  @Benchmark
  public void perRecord(Blackhole bh) {
    bh.consume(redaction.text(text));
    bh.consume(redaction.fields(fields));
  }
}
