package io.tycostream.triggers.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The knobs of {@link BenchmarkSuite}, each read from a system property {@code bench.<name>}; the defaults (in
 * {@link #fromSystemProperties()}) are what {@code mvn -B -P benchmark verify} runs and what docs/benchmarks.md
 * records. Immutable.
 *
 * @param ceilingRequests         POSTs timed for the HTTP ceiling
 * @param ceilingWarmupRequests   POSTs sent before, untimed
 * @param inFlight                requests in flight, for the ceiling and the service's {@code delivery.max_in_flight}
 * @param keys                    keys of the view in the single-trigger scenarios
 * @param noteLength              length of the text column, sizing the webhook body (~400 bytes at the default)
 * @param emulatorTickMs          how often the emulator closes a timestamp without writes
 * @param warmupSeconds           the untimed first scenario that warms the JIT up
 * @param pacedRates              offered events/s of the latency-vs-load runs (one trigger: one event per change)
 * @param pacedSeconds            how long each paced run writes
 * @param pacedWarmupSeconds      its first seconds, written but left out of the percentiles
 * @param singlePacedRate         changes/s of the paced one-change-per-timestamp run ({@code p99_ms_2k_single})
 * @param saturationSeconds       how long a saturated run writes
 * @param saturationWarmupSeconds its first seconds, left out of the rate
 * @param saturationBacklog       events written but not yet received that a saturated run keeps (closed loop)
 * @param batchedChangesPerCommit changes per Materialize timestamp in the {@code delivered_eps} run
 * @param manyTriggers            triggers on one source in the {@code p99_ms_10k_triggers} run (one per key)
 * @param manyTriggersRate        its changes/s
 * @param manyTriggersSetupSeconds bound on creating and baselining those triggers
 * @param createConcurrency       trigger-creating requests in flight against the REST API
 * @param commitOnlyRate          changes/s offered to the no-event diagnostic ({@link CommitOnlyRun})
 * @param commitOnlySeconds       how long it writes
 * @param drainSeconds            how long a run waits for its last delivery once writing stopped
 * @param evalSeconds             measured seconds of the condition microbenchmark (as many again to warm up)
 * @param resumeRate              changes/s written while the service in the child JVM is killed and restarted
 * @param resumeAnswerDelayMs     how long the receiver holds each answer, so requests are in flight at the kill
 * @param resumeKillAfterSeconds  how long the first life streams before the kill
 * @param resumeWaitSeconds       bound on waiting for every re-send after the restart
 * @param maxRuntimeSeconds       the watchdog's bound on the whole suite
 * @param fatJar                  the packaged service, run as a child JVM for the kill -9 scenario
 * @param serviceJvmArgs          JVM flags of that child (none by default, like the Dockerfile's entry point)
 * @param output                  where the JSON report goes; the plot goes next to it
 * @param docsDir                 when set, the plot is also copied there (to record a run in docs/)
 * @param only                    scenario names to run (empty: all), for trying one out
 */
record SuiteSettings(int ceilingRequests, int ceilingWarmupRequests, int inFlight, int keys, int noteLength,
                     int emulatorTickMs, int warmupSeconds, List<Integer> pacedRates, int pacedSeconds,
                     int pacedWarmupSeconds, int singlePacedRate, int saturationSeconds, int saturationWarmupSeconds,
                     int saturationBacklog, int batchedChangesPerCommit, int manyTriggers, int manyTriggersRate,
                     int manyTriggersSetupSeconds, int createConcurrency, int commitOnlyRate,
                     int commitOnlySeconds, int drainSeconds, int evalSeconds,
                     int resumeRate, int resumeAnswerDelayMs, int resumeKillAfterSeconds, int resumeWaitSeconds,
                     int maxRuntimeSeconds, Path fatJar, String serviceJvmArgs, Path output, Path docsDir,
                     List<String> only) {

  SuiteSettings {
    pacedRates = List.copyOf(pacedRates);
    only = List.copyOf(only);
    if (pacedWarmupSeconds >= pacedSeconds || saturationWarmupSeconds >= saturationSeconds) {
      throw new IllegalArgumentException("a run's warm-up must be shorter than the run");
    }
    if (batchedChangesPerCommit < 1 || batchedChangesPerCommit > keys) {
      throw new IllegalArgumentException("bench.batchedChangesPerCommit must be between 1 and bench.keys");
    }
  }

  static SuiteSettings fromSystemProperties() {
    return new SuiteSettings(
        intProperty("ceilingRequests", 50_000),
        intProperty("ceilingWarmupRequests", 10_000),
        intProperty("inFlight", 64),
        intProperty("keys", 1_000),
        intProperty("noteLength", 180),
        intProperty("emulatorTickMs", 20),
        intProperty("warmupSeconds", 8),
        intList("pacedRates", "200,1000,2000,5000"),
        intProperty("pacedSeconds", 10),
        intProperty("pacedWarmupSeconds", 2),
        intProperty("singlePacedRate", 2_000),
        intProperty("saturationSeconds", 12),
        intProperty("saturationWarmupSeconds", 3),
        intProperty("saturationBacklog", 10_000),
        intProperty("batchedChangesPerCommit", 100),
        intProperty("manyTriggers", 10_000),
        intProperty("manyTriggersRate", 1_000),
        intProperty("manyTriggersSetupSeconds", 240),
        intProperty("createConcurrency", 16),
        intProperty("commitOnlyRate", 60_000),
        intProperty("commitOnlySeconds", 5),
        intProperty("drainSeconds", 60),
        intProperty("evalSeconds", 5),
        intProperty("resumeRate", 100),
        intProperty("resumeAnswerDelayMs", 250),
        intProperty("resumeKillAfterSeconds", 4),
        intProperty("resumeWaitSeconds", 120),
        intProperty("maxRuntimeSeconds", 720),
        Path.of(System.getProperty("bench.fatJar", "target/tycostream-triggers-fat.jar")),
        System.getProperty("bench.serviceJvmArgs", ""),
        Path.of(System.getProperty("bench.output", "target/benchmark.json")),
        System.getProperty("bench.docsDir", "").isBlank() ? null : Path.of(System.getProperty("bench.docsDir")),
        textList("only", ""));
  }

  /** Whether the scenario of that name is to run. */
  boolean runs(String scenario) {
    return only.isEmpty() || only.contains(scenario);
  }

  private static int intProperty(String name, int defaultValue) {
    return Integer.getInteger("bench." + name, defaultValue);
  }

  private static List<Integer> intList(String name, String defaultValue) {
    return textList(name, defaultValue).stream().map(Integer::valueOf).toList();
  }

  private static List<String> textList(String name, String defaultValue) {
    return Arrays.stream(System.getProperty("bench." + name, defaultValue).split(","))
        .map(String::strip).filter(text -> !text.isEmpty()).toList();
  }
}
