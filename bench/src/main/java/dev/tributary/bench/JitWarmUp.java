package dev.tributary.bench;

import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Untimed warm-up rounds until the JIT compiler has settled: until a round spent less than
 * {@link #STEADY_JIT_SHARE} of its wall time compiling, at most a given number of rounds. On two
 * cores the C2 compiler threads took 1-2 s of CPU per 1 M records for the first 3-4 M records of a
 * harness, CPU that the timed runs would otherwise share with the code measured and the broker; a
 * long-running service pays it once.
 */
public final class JitWarmUp {
  /** A round that spends less than this share of its wall time compiling counts as settled. */
  public static final double STEADY_JIT_SHARE = 0.05;

  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

  /** One warm-up round (both contenders, in a comparison). */
  @FunctionalInterface
  public interface Round {
    void run() throws Exception;
  }

  private JitWarmUp() {}

  /** Milliseconds the JIT compilers have spent so far (summed over compiler threads). */
  public static long compileMillis() {
    return JIT.getTotalCompilationTime();
  }

  /**
   * Runs {@code round} until one settles (or {@code maxRounds} ran), printing each round's wall and
   * JIT milliseconds.
   *
   * @return whether the JIT settled
   */
  public static boolean untilSettled(int maxRounds, Round round, PrintStream out) throws Exception {
    for (int i = 1; i <= maxRounds; i++) {
      long jitBefore = compileMillis();
      long start = System.nanoTime();
      round.run();
      long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      long jitMillis = compileMillis() - jitBefore;
      out.printf(Locale.ROOT, "warm-up %d: %d ms, JIT compiling %d ms (%.1f%%)%n", i, wallMillis, jitMillis,
          100.0 * jitMillis / Math.max(1, wallMillis));
      if (jitMillis < STEADY_JIT_SHARE * wallMillis) {
        return true;
      }
    }
    out.printf(Locale.ROOT, "warm-up: the JIT was still compiling after %d rounds; the timed runs include it%n", maxRounds);
    return false;
  }
}
