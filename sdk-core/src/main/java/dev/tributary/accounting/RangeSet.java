package dev.tributary.accounting;

import java.util.Arrays;

/**
 * A set of longs stored as sorted, disjoint, non-adjacent closed ranges. Sequence numbers mostly
 * arrive in order, so the common case (extend the last range by one) is O(1); out-of-order arrivals
 * cost a binary search and, rarely, an array shift.
 */
final class RangeSet {
  private long[] lo = new long[4];
  private long[] hi = new long[4];
  private int size;

  int ranges() {
    return size;
  }

  boolean contains(long x) {
    int i = floorIndex(x);
    return i >= 0 && x <= hi[i];
  }

  /** Adds {@code x}; {@code false} if it was present. */
  boolean add(long x) {
    if (size > 0 && x == hi[size - 1] + 1) {
      hi[size - 1] = x;
      return true;
    }
    int i = floorIndex(x);
    if (i >= 0 && x <= hi[i]) {
      return false;
    }
    boolean joinsLeft = i >= 0 && hi[i] + 1 == x;
    boolean joinsRight = i + 1 < size && lo[i + 1] - 1 == x;
    if (joinsLeft && joinsRight) {
      hi[i] = hi[i + 1];
      remove(i + 1);
    } else if (joinsLeft) {
      hi[i] = x;
    } else if (joinsRight) {
      lo[i + 1] = x;
    } else {
      insert(i + 1, x, x);
    }
    return true;
  }

  /** How many numbers in {@code [from, to]} are present. */
  long countIn(long from, long to) {
    if (from > to || size == 0) {
      return 0;
    }
    long n = 0;
    int i = Math.max(0, floorIndex(from));
    for (; i < size && lo[i] <= to; i++) {
      long a = Math.max(lo[i], from);
      long b = Math.min(hi[i], to);
      if (a <= b) {
        n += b - a + 1;
      }
    }
    return n;
  }

  /** The lowest range's upper end (requires a non-empty set). */
  long firstHigh() {
    return hi[0];
  }

  /** The second range's lower end (requires two ranges). */
  long secondLow() {
    return lo[1];
  }

  /** Merges the two lowest ranges, filling the hole between them. */
  void mergeFirstTwo() {
    hi[0] = hi[1];
    remove(1);
  }

  /** The index of the last range starting at or before {@code x}, or -1. */
  private int floorIndex(long x) {
    int i = Arrays.binarySearch(lo, 0, size, x);
    return i >= 0 ? i : -i - 2;
  }

  private void insert(int at, long a, long b) {
    if (size == lo.length) {
      lo = Arrays.copyOf(lo, size * 2);
      hi = Arrays.copyOf(hi, size * 2);
    }
    System.arraycopy(lo, at, lo, at + 1, size - at);
    System.arraycopy(hi, at, hi, at + 1, size - at);
    lo[at] = a;
    hi[at] = b;
    size++;
  }

  private void remove(int at) {
    System.arraycopy(lo, at + 1, lo, at, size - at - 1);
    System.arraycopy(hi, at + 1, hi, at, size - at - 1);
    size--;
  }
}
