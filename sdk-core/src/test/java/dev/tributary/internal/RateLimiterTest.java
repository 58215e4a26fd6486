package dev.tributary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void aFullBucketGivesTheBurstThenRefillsAtTheRate() {
    RateLimiter limiter = new RateLimiter(1000, 50, nanos::get);
    assertThat(acquire(limiter, 100)).isEqualTo(50);
    assertThat(limiter.limited()).isEqualTo(50);
    nanos.addAndGet(10_000_000L); // 10 ms at 1000/s: 10 tokens
    assertThat(acquire(limiter, 100)).isEqualTo(10);
    assertThat(limiter.limited()).isEqualTo(140);
  }

  @Test
  void anIdleBucketBanksNoMoreThanTheBurst() {
    RateLimiter limiter = new RateLimiter(1000, 50, nanos::get);
    acquire(limiter, 50);
    nanos.addAndGet(3_600_000_000_000L);
    assertThat(acquire(limiter, 1000)).isEqualTo(50);
  }

  @Test
  void fractionsOfATokenAreKeptAcrossRefills() {
    RateLimiter limiter = new RateLimiter(1000, 1, nanos::get);
    acquire(limiter, 1);
    int granted = 0;
    for (int i = 0; i < 100; i++) {
      nanos.addAndGet(400_000L); // 0.4 ms: 0.4 tokens each time
      granted += acquire(limiter, 1);
    }
    assertThat(granted).isEqualTo(40);
  }

  private static int acquire(RateLimiter limiter, int attempts) {
    int granted = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.tryAcquire()) {
        granted++;
      }
    }
    return granted;
  }
}
