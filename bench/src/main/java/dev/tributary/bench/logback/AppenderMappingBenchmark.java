package dev.tributary.bench.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.tributary.Tributary;
import dev.tributary.logback.TributaryAppender;
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
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

/**
 * What the Tributary appender itself costs per event on the logging thread, without Kafka or the
 * SDK's pipeline: the appender over {@link Tributary#noop()} (re-entrancy guard, exclusions,
 * {@code LogEntryMapper}, counters) against an appender that only formats the message, which any
 * appender does. Run with {@code -prof gc} for the bytes allocated per call.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar AppenderMappingBenchmark -prof gc
 * </pre>
 *
 * {@code event}: {@code plain} is the throughput benchmark's event (a message with one argument);
 * {@code mdc-kv} adds three MDC entries (one of them the trace id), two SLF4J key-value pairs and a marker.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class AppenderMappingBenchmark {
  private static final int IDS = 1024;

  /** {@code tributary-noop} or {@code format-only}. */
  @Param({"tributary-noop", "format-only"})
  public String appender;

  @Param({"plain", "mdc-kv"})
  public String event;

  private LoggerContext context;
  private Logger log;
  private final String[] ids = new String[IDS];
  private int next;

  @Setup(Level.Trial)
  public void start() {
    for (int i = 0; i < IDS; i++) {
      ids[i] = "A-" + (1_000_000 + i);
    }
    context = Contenders.context(appender);
    if (appender.equals("tributary-noop")) {
      TributaryAppender a = new TributaryAppender();
      a.setName("tributary");
      a.setClient(Tributary.noop());
      log = Contenders.logger(context, a);
    } else {
      log = Contenders.logger(context, new FormatOnly());
    }
    MDC.clear();
    if (event.equals("mdc-kv")) {
      MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
      MDC.put("span_id", "00f067aa0ba902b7");
      MDC.put("tenant", "acme");
    }
  }

  @Benchmark
  public void info() {
    String id = ids[next++ & (IDS - 1)];
    if (event.equals("plain")) {
      log.info(Lines.MESSAGE, id);
    } else {
      log.atInfo().addMarker(MarkerFactory.getMarker("AUDIT")).addKeyValue("order", id).addKeyValue("items", 3)
          .log(Lines.MESSAGE, id);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    MDC.clear();
    context.stop();
  }

  /** Formats the message, as every appender does, and nothing else. */
  static final class FormatOnly extends UnsynchronizedAppenderBase<ILoggingEvent> {
    volatile int sink;

    @Override
    protected void append(ILoggingEvent e) {
      sink = e.getFormattedMessage().length();
    }
  }
}
