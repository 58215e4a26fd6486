package dev.tributary.testkit;

import java.time.Duration;

/** A point in time after which a bounded wait gives up; built on {@link System#nanoTime()}. */
final class Deadline {

    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    boolean expired() {
        return remaining().isZero();
    }

    /** The time left, never negative. */
    Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** The time left, but at most {@code cap} and at least one millisecond. */
    Duration remainingAtMost(Duration cap) {
        Duration left = remaining();
        Duration bounded = left.compareTo(cap) < 0 ? left : cap;
        return bounded.toMillis() < 1 ? Duration.ofMillis(1) : bounded;
    }

    /**
     * Waits a little before the next poll of something that has no notification to wait on.
     *
     * @throws InterruptedException if the thread is interrupted
     */
    void pause(Duration interval) throws InterruptedException {
        Thread.sleep(remainingAtMost(interval).toMillis());
    }

    /** Formats a duration the way people read it in a failure message: "2 s", "1500 ms". */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }
}
