package dev.tributary.exporter.kafka;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Chooses the consumer groups of a cycle: at most {@code cap}, continuing in name order after the
 * last group chosen by the previous cycle and wrapping around, so with {@code n} groups every group
 * is refreshed once every {@code ceil(n / cap)} cycles. Remembering the last name instead of an
 * index keeps the rotation fair while groups come and go.
 */
final class GroupRotation {
  private final int cap;
  private String last;

  GroupRotation(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be positive, was " + cap);
    }
    this.cap = cap;
  }

  /** The groups to refresh now; {@code sortedIds} must be sorted and free of duplicates. */
  List<String> next(List<String> sortedIds) {
    if (sortedIds.size() <= cap) {
      last = null;
      return sortedIds;
    }
    int start = 0;
    if (last != null) {
      int i = Collections.binarySearch(sortedIds, last);
      start = i >= 0 ? i + 1 : -i - 1; // the first name after the last one chosen
    }
    List<String> chosen = new ArrayList<>(cap);
    for (int k = 0; k < cap; k++) {
      chosen.add(sortedIds.get((start + k) % sortedIds.size()));
    }
    last = chosen.get(chosen.size() - 1);
    return chosen;
  }
}
