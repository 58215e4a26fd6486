package dev.tributary.micrometer;

import dev.tributary.Tributary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.tck.MeterRegistryCompatibilityKit;
import java.time.Duration;

/** Micrometer's own compatibility kit, unmodified, against the registry (publishing to a no-op client). */
class TributaryMeterRegistryCompatibilityTest extends MeterRegistryCompatibilityKit {
  private final TributaryConfig config = TributaryConfig.sharing(Tributary.noop());

  @Override
  public MeterRegistry registry() {
    return TributaryMeterRegistry.builder(config).clock(new MockClock()).build();
  }

  @Override
  public Duration step() {
    return config.step();
  }
}
