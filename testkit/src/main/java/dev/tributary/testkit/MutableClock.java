package dev.tributary.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that a test moves by hand, for code that takes a {@link Clock}: staleness, expiry and
 * rates are then tested without sleeping. Safe to read from other threads.
 */
public final class MutableClock extends Clock {

    private volatile long millis;

    /** A clock standing at {@code epochMillis}. */
    public MutableClock(long epochMillis) {
        this.millis = epochMillis;
    }

    /** Moves the clock forward (or back, for a negative duration). */
    public synchronized void advance(Duration duration) {
        millis += duration.toMillis();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
