package dev.tributary.sidecar.prometheus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The series of one metric: a flat open-addressing table (linear probing) of the held series
 * themselves, each a {@link SeriesStore.SeriesKey} with its sample.
 *
 * <p>Why not a {@code ConcurrentHashMap<SeriesKey, Entry>}: every record of the consume path looks
 * up a series, and with tens of thousands of them each object on the way is a cache miss. Here a
 * lookup reads one array slot, the series (key hash, length, label parts and sample fields in one
 * object) and its parts array; a newer sample is written into the series found, without a second
 * lookup or a new map entry.
 *
 * <p>Threading: one writer (the consume thread: {@link #get}, {@link #add}, {@link #removeIf}) and
 * any number of readers ({@link #forEach}, {@link #size()}). Slots are written with release and read
 * by readers with acquire semantics, so a reader sees fully built series; a removed slot becomes a
 * tombstone, never moves another series, so a reader iterating while the writer removes sees every
 * remaining series once. Growing (or purging tombstones) builds a new array and publishes it; a
 * reader still iterating the old one sees the series as they were plus any sample written into them
 * since, like a weakly consistent iterator.
 */
final class SeriesTable<S extends SeriesStore.SeriesKey> {
  static final int MIN_CAPACITY = 8;
  private static final Object TOMBSTONE = new Object();
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

  private volatile Object[] slots = new Object[MIN_CAPACITY];
  private volatile int size;
  private volatile int changes;
  private int tombstones; // writer only

  /** The number of series held. */
  int size() {
    return size;
  }

  /**
   * How many times a series was added or removals happened: equal readings before and after
   * something derived from {@link #forEach} mean the same series were held throughout. Any thread.
   */
  int changes() {
    return changes;
  }

  /** The held series equal to {@code probe}, or {@code null}. Writer only. */
  @SuppressWarnings("unchecked")
  S get(SeriesStore.SeriesKey probe) {
    Object[] t = slots;
    int mask = t.length - 1;
    for (int i = probe.hashCode() & mask; ; i = (i + 1) & mask) {
      Object o = t[i];
      if (o == null) {
        return null;
      }
      if (o != TOMBSTONE && probe.equals(o)) {
        return (S) o;
      }
    }
  }

  /** Adds a series that {@link #get} did not find. Writer only. */
  void add(S series) {
    if ((size + tombstones + 1) * 2 > slots.length) {
      rehash(size + 1);
    }
    Object[] t = slots;
    int mask = t.length - 1;
    int i = series.hashCode() & mask;
    while (t[i] != null && t[i] != TOMBSTONE) {
      i = (i + 1) & mask;
    }
    if (t[i] == TOMBSTONE) {
      tombstones--;
    }
    SLOT.setRelease(t, i, series);
    size = size + 1;
    changes = changes + 1;
  }

  /** Removes the series {@code remove} accepts. Writer only. @return how many were removed */
  @SuppressWarnings("unchecked")
  int removeIf(Predicate<? super S> remove) {
    Object[] t = slots;
    int removed = 0;
    for (int i = 0; i < t.length; i++) {
      Object o = t[i];
      if (o != null && o != TOMBSTONE && remove.test((S) o)) {
        SLOT.setRelease(t, i, TOMBSTONE);
        removed++;
      }
    }
    if (removed > 0) {
      tombstones += removed;
      size = size - removed;
      changes = changes + 1;
      if (tombstones > t.length / 4 || size < t.length / 8) {
        rehash(size);
      }
    }
    return removed;
  }

  /** Every series held, once each. Any thread. */
  @SuppressWarnings("unchecked")
  void forEach(Consumer<? super S> action) {
    Object[] t = slots;
    for (int i = 0; i < t.length; i++) {
      Object o = SLOT.getAcquire(t, i);
      if (o != null && o != TOMBSTONE) {
        action.accept((S) o);
      }
    }
  }

  /** A new array with room for {@code n} series at a load of at most a quarter, without tombstones. */
  private void rehash(int n) {
    int capacity = MIN_CAPACITY;
    while (capacity < 4L * n) {
      capacity <<= 1;
    }
    Object[] old = slots;
    Object[] t = new Object[capacity];
    int mask = capacity - 1;
    for (Object o : old) {
      if (o != null && o != TOMBSTONE) {
        int i = o.hashCode() & mask;
        while (t[i] != null) {
          i = (i + 1) & mask;
        }
        t[i] = o;
      }
    }
    tombstones = 0;
    slots = t; // volatile write: publishes the filled array
  }
}
