package dev.tributary.sidecar.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sidecar.prometheus.SeriesStore.SeriesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SeriesTable} against a {@code HashMap} as the reference model. */
class SeriesTableTest {
  private static List<String> parts(int n) {
    return List.of("route", "/r-" + (n % 7), "svc", "pod-" + n);
  }

  private static SeriesKey key(int n) {
    return SeriesKey.of(parts(n).toArray(String[]::new));
  }

  /** Every key of the model is found (as the very object added), no other key is, and iteration sees each once. */
  private static void assertSame(SeriesTable<SeriesKey> table, Map<List<String>, SeriesKey> model, int keySpace) {
    assertThat(table.size()).isEqualTo(model.size());
    for (int n = 0; n < keySpace; n++) {
      SeriesKey held = model.get(parts(n));
      if (held == null) {
        assertThat(table.get(key(n))).as("key %d", n).isNull();
      } else {
        assertThat(table.get(key(n))).as("key %d", n).isSameAs(held);
      }
    }
    IdentityHashMap<SeriesKey, Integer> seen = new IdentityHashMap<>();
    table.forEach(s -> seen.merge(s, 1, Integer::sum));
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(model.values());
    assertThat(seen.values()).allMatch(count -> count == 1);
  }

  @Test
  void randomAddsAndRemovalsMatchAHashMap() {
    SplittableRandom random = new SplittableRandom(7);
    for (int keySpace : new int[] {3, 20, 300, 5_000}) {
      SeriesTable<SeriesKey> table = new SeriesTable<>();
      Map<List<String>, SeriesKey> model = new HashMap<>();
      for (int op = 0; op < 20_000; op++) {
        int n = random.nextInt(keySpace);
        int what = random.nextInt(100);
        if (what < 70) { // the consume path: look up, add if absent
          SeriesKey found = table.get(key(n));
          assertThat(found).isSameAs(model.get(parts(n)));
          if (found == null) {
            SeriesKey added = key(n);
            table.add(added);
            model.put(parts(n), added);
          }
        } else if (what < 97) { // expiry of one series
          int removed = table.removeIf(s -> s.equals(key(n)));
          assertThat(removed).isEqualTo(model.remove(parts(n)) != null ? 1 : 0);
        } else { // a revocation: a whole class of series
          int mod = 2 + random.nextInt(3);
          int r = random.nextInt(mod);
          List<List<String>> gone = new ArrayList<>();
          model.forEach((p, s) -> {
            if (Integer.parseInt(p.get(3).substring(4)) % mod == r) {
              gone.add(p);
            }
          });
          int removed = table.removeIf(s -> {
            for (List<String> p : gone) {
              if (s.equals(key(Integer.parseInt(p.get(3).substring(4))))) {
                return true;
              }
            }
            return false;
          });
          gone.forEach(model::remove);
          assertThat(removed).isEqualTo(gone.size());
        }
        if (op % 997 == 0) {
          assertSame(table, model, keySpace);
        }
      }
      assertSame(table, model, keySpace);
    }
  }

  @Test
  void aKeyBehindARemovedOneIsStillFoundAndTheTableShrinksWhenEmptied() {
    SeriesTable<SeriesKey> table = new SeriesTable<>();
    Map<List<String>, SeriesKey> model = new HashMap<>();
    for (int n = 0; n < 1_000; n++) {
      SeriesKey k = key(n);
      table.add(k);
      model.put(parts(n), k);
    }
    // Remove every other series: probe chains now run through tombstones.
    table.removeIf(s -> {
      for (int n = 0; n < 1_000; n += 2) {
        if (s.equals(key(n))) {
          return true;
        }
      }
      return false;
    });
    for (int n = 0; n < 1_000; n += 2) {
      model.remove(parts(n));
    }
    assertSame(table, model, 1_000);
    table.removeIf(s -> true);
    model.clear();
    assertSame(table, model, 1_000);
    SeriesKey again = key(5);
    table.add(again);
    assertThat(table.get(key(5))).isSameAs(again);
    assertThat(table.size()).isEqualTo(1);
  }
}
