package dev.tributary;

/** Handle of a registered collector or health check; {@link #close()} removes it. Idempotent. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
  @Override
  void close();
}
