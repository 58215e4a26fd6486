package dev.tributary.bench.prometheus;

import dev.tributary.wire.MetricEnvelope;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.List;

/**
 * The sidecar's own {@code SeriesStore} (package-private in {@code dev.tributary.sidecar.prometheus}),
 * reached by reflection so that the benchmarks measure the real class and not a copy. Method handles
 * are resolved once; a call costs what a direct call does once JIT-compiled.
 */
final class SidecarStore {
  private static final String CLASS = "dev.tributary.sidecar.prometheus.SeriesStore";
  private static final MethodHandle CREATE;
  private static final MethodHandle INGEST;
  private static final MethodHandle SNAPSHOTS;
  private static final MethodHandle SIZE;

  static {
    try {
      Class<?> store = Class.forName(CLASS);
      Constructor<?> c = store.getDeclaredConstructor(int.class, int.class, long.class, long.class, Clock.class);
      c.setAccessible(true);
      Method ingest = store.getDeclaredMethod("ingest", MetricEnvelope.class, int.class);
      ingest.setAccessible(true);
      Method snapshots = store.getDeclaredMethod("snapshots");
      snapshots.setAccessible(true);
      Method size = store.getDeclaredMethod("size");
      size.setAccessible(true);
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CREATE = lookup.unreflectConstructor(c).asType(MethodType.methodType(Object.class, int.class, int.class,
          long.class, long.class, Clock.class));
      INGEST = lookup.unreflect(ingest).asType(MethodType.methodType(Object.class, Object.class,
          MetricEnvelope.class, int.class));
      SNAPSHOTS = lookup.unreflect(snapshots).asType(MethodType.methodType(List.class, Object.class));
      SIZE = lookup.unreflect(size).asType(MethodType.methodType(int.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Object store;

  /** A store with caps large enough for any benchmark, a staleness timeout of a day, the system clock. */
  SidecarStore() {
    try {
      store = CREATE.invoke(Integer.MAX_VALUE, Integer.MAX_VALUE, 86_400_000L, 60_000L, Clock.systemUTC());
    } catch (Throwable e) {
      throw new IllegalStateException("cannot create the sidecar's SeriesStore", e);
    }
  }

  /** Ingests one sample; returns the store's outcome ({@code ACCEPTED}, ...). */
  String ingest(MetricEnvelope envelope, int partition) {
    try {
      return INGEST.invoke(store, envelope, partition).toString();
    } catch (Throwable e) {
      throw new IllegalStateException("the store refused " + envelope.name() + ": " + e, e);
    }
  }

  /** What a scrape writes: one snapshot per metric. */
  @SuppressWarnings("unchecked")
  List<MetricSnapshot> snapshots() {
    try {
      return (List<MetricSnapshot>) SNAPSHOTS.invoke(store);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  MetricSnapshots scrape() {
    return new MetricSnapshots(snapshots());
  }

  int size() {
    try {
      return (int) SIZE.invoke(store);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
