package io.tycostream.triggers.source.loadgen;

/**
 * A seeded permutation of {@code [0, size)} that is evaluated at one point in O(1) (expected) without building the
 * whole permutation: a four-round Feistel network over the smallest even number of bits that covers {@code size},
 * with cycle walking to stay inside the range. The load generator uses one per round to decide which account the
 * {@code n}-th change of the round visits. Immutable and thread-safe.
 */
final class VisitOrder {

  private static final int ROUNDS = 4;

  private final int size;
  private final int halfBits;
  private final long halfMask;
  private final long[] keys = new long[ROUNDS];

  /** The permutation of {@code [0, size)} keyed by {@code key}. */
  VisitOrder(int size, long key) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be positive: " + size);
    }
    this.size = size;
    int bits = 32 - Integer.numberOfLeadingZeros(size - 1);
    this.halfBits = Math.max(1, (bits + 1) / 2);
    this.halfMask = (1L << halfBits) - 1;
    for (int round = 0; round < ROUNDS; round++) {
      keys[round] = Mixing.mix(key + Mixing.GOLDEN_GAMMA * (round + 1));
    }
  }

  /** The element at {@code position}, itself in {@code [0, size)}. */
  int at(int position) {
    if (position < 0 || position >= size) {
      throw new IndexOutOfBoundsException("position " + position + " outside [0, " + size + ")");
    }
    // the Feistel network permutes the whole power-of-two domain; walking its cycle from a position inside the
    // range always comes back inside the range, after fewer than 4 steps on average (the domain is < 4 * size)
    long value = position;
    do {
      value = encrypt(value);
    } while (value >= size);
    return (int) value;
  }

  private long encrypt(long value) {
    long left = value >>> halfBits;
    long right = value & halfMask;
    for (long key : keys) {
      long next = left ^ (Mixing.mix(right + key) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }
}
