package dev.tributary.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.MetricCollector;
import dev.tributary.MetricSample;
import dev.tributary.Registration;
import dev.tributary.Tributary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.tck.MeterRegistryCompatibilityKit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;

/**
 * Micrometer's own compatibility kit, unmodified, against the registry. After each of the kit's
 * tests, the registry is also collected the way the Tributary client collects it: every meter the
 * kit left behind must turn into samples with valid names (a meter that failed to convert would be
 * skipped and have none).
 */
class TributaryMeterRegistryCompatibilityTest extends MeterRegistryCompatibilityKit {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final List<MetricCollector> collectors = new ArrayList<>();
  private final TributaryConfig config = TributaryConfig.sharing(capturingClient());

  @Override
  public MeterRegistry registry() {
    return TributaryMeterRegistry.builder(config).clock(new MockClock()).build();
  }

  @Override
  public Duration step() {
    return config.step();
  }

  @AfterEach
  void everyMeterBecomesValidSamples() {
    assertThat(collectors).hasSize(1);
    List<MetricSample> samples = new ArrayList<>();
    collectors.get(0).collect(samples::add);
    assertThat(samples).allSatisfy(s -> {
      assertThat(s.name()).matches(METRIC_NAME);
      assertThat(s.labels().keySet()).allSatisfy(label -> assertThat(label).matches(LABEL_NAME));
      assertThat(s.startTimestamp()).isBetween(new MockClock().wallTime(), MockClock.clock(registry).wallTime());
      if (s.histogram() != null) {
        assertThat(s.histogram().buckets()).allSatisfy(
            b -> assertThat(b.cumulativeCount()).isLessThanOrEqualTo(s.histogram().count()));
      }
    });
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getConventionName(registry.config().namingConvention());
      assertThat(samples).as("samples of %s", meter.getId()).anySatisfy(s -> assertThat(s.name()).startsWith(name));
    }
  }

  /** A no-op client that hands the registry's collector to the test. */
  private Tributary capturingClient() {
    return (Tributary) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Tributary.class},
        (proxy, method, args) -> {
          if (method.getName().equals("registerCollector")) {
            collectors.add((MetricCollector) args[0]);
            return (Registration) () -> {};
          }
          try {
            return method.invoke(Tributary.noop(), args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
