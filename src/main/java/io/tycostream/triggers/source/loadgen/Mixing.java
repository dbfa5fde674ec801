package io.tycostream.triggers.source.loadgen;

/**
 * Counter-based randomness for the load generator: every draw is a hash of the seed and the coordinates it is for
 * (account, change number, purpose), so any value can be computed directly, in any order, without a random
 * generator's hidden state. SplitMix64's finaliser; pure and thread-safe.
 */
final class Mixing {

  /** The golden-ratio increment of SplitMix64, used to spread consecutive inputs. */
  static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Mixing() {
  }

  /** A bijective 64-bit mix with full avalanche. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The hash of {@code seed} and three coordinates. */
  static long hash(long seed, long purpose, long first, long second) {
    long h = mix(seed + GOLDEN_GAMMA * (purpose + 1));
    h = mix(h + GOLDEN_GAMMA * (first + 1));
    return mix(h + GOLDEN_GAMMA * (second + 1));
  }

  /** A uniform double in {@code [0, 1)} from a hash. */
  static double unit(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }

  /** A uniform int in {@code [0, bound)} from a hash. */
  static int below(long hash, int bound) {
    return (int) ((hash >>> 33) * bound >>> 31);
  }
}
