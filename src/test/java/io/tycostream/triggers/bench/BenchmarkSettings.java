package io.tycostream.triggers.bench;

/**
 * The benchmark's knobs, each read from a system property {@code bench.<name>}; defaults in
 * {@link #fromSystemProperties()}.
 *
 * @param ceilingRequests       POSTs timed for the HTTP ceiling
 * @param ceilingWarmupRequests POSTs sent before, untimed
 * @param inFlight              requests in flight, for the ceiling and the service's delivery alike
 * @param triggers              triggers on the source (1 or 2); every change causes one event per trigger
 * @param keys                  distinct keys the changes rotate over
 * @param noteLength            length of the text column, sizing the webhook body (~400 bytes at the default)
 * @param changesPerCommit      changes per emulator commit (one Materialize timestamp), at most {@code keys}
 * @param emulatorTickMs        how often the emulator advances its frontier without writes
 * @param warmupChanges         changes written before the measured phases (reported, not the figures)
 * @param warmupRate            their rate per second
 * @param changes               changes of the saturation phase
 * @param rate                  their rate per second, chosen above what the pipeline delivers (0: unpaced)
 * @param pacedChanges          changes of the paced phase
 * @param pacedRate             their rate per second, chosen well below what the pipeline delivers
 * @param phaseTimeoutSeconds   how long a phase waits for its last delivery
 * @param maxRuntimeSeconds     the watchdog's bound on the whole run
 */
record BenchmarkSettings(int ceilingRequests, int ceilingWarmupRequests, int inFlight, int triggers, int keys,
                         int noteLength, int changesPerCommit, int emulatorTickMs, int warmupChanges, int warmupRate,
                         int changes, int rate, int pacedChanges, int pacedRate, int phaseTimeoutSeconds,
                         int maxRuntimeSeconds) {

  BenchmarkSettings {
    if (triggers < 1 || triggers > 2) {
      throw new IllegalArgumentException("bench.triggers must be 1 or 2, was " + triggers);
    }
    if (changesPerCommit < 1 || changesPerCommit > keys) {
      throw new IllegalArgumentException("bench.changesPerCommit must be between 1 and bench.keys, was "
          + changesPerCommit);
    }
  }

  static BenchmarkSettings fromSystemProperties() {
    return new BenchmarkSettings(
        intProperty("ceilingRequests", 50_000),
        intProperty("ceilingWarmupRequests", 10_000),
        intProperty("inFlight", 64),
        intProperty("triggers", 2),
        intProperty("keys", 1_000),
        intProperty("noteLength", 180),
        intProperty("changesPerCommit", 1),
        intProperty("emulatorTickMs", 20),
        intProperty("warmupChanges", 2_000),
        intProperty("warmupRate", 1_000),
        intProperty("changes", 20_000),
        intProperty("rate", 5_000),
        intProperty("pacedChanges", 3_000),
        intProperty("pacedRate", 200),
        intProperty("phaseTimeoutSeconds", 60),
        intProperty("maxRuntimeSeconds", 240));
  }

  private static int intProperty(String name, int defaultValue) {
    return Integer.getInteger("bench." + name, defaultValue);
  }
}
