package io.tycostream.triggers.bench;

import ch.qos.logback.classic.Level;
import io.tycostream.triggers.testkit.BaselineIsolationRun;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark profile ({@code mvn -B -P benchmark verify}): every figure of the issue measured in one run on one
 * machine, written to {@code target/benchmark.json} with a latency-vs-load plot ({@code target/benchmark-latency.svg})
 * and printed. Scenarios, in order (each its own class, Javadoc there):
 * <ol>
 *   <li>{@code ceiling}: {@link HttpCeiling}, raw loopback POSTs to the same receiver code;</li>
 *   <li>{@code evals}: {@link ConditionThroughput}, the compiled condition on one thread;</li>
 *   <li>{@code warmup}: a saturated pipeline run whose figures are discarded (JIT);</li>
 *   <li>{@code paced}: {@link PacedRun} at each of {@link SuiteSettings#pacedRates} (one trigger, a commit at most
 *       every millisecond) — p50/p99 at 1k, p99 at 5k, and the plot;</li>
 *   <li>{@code single}: one change per Materialize timestamp, paced ({@code p99_ms_2k_single}) and saturated
 *       ({@code single_change_max_cps}, {@link SaturatedRun}), and the same without delivery ({@link CommitOnlyRun},
 *       a diagnostic);</li>
 *   <li>{@code batched}: saturated with {@link SuiteSettings#batchedChangesPerCommit} changes per timestamp
 *       ({@code delivered_eps}, {@code delivered_ratio});</li>
 *   <li>{@code batch_posts}: the {@code batched} load with the trigger sending up to {@value #EVENTS_PER_POST} events
 *       per POST ({@code batched_delivered_eps}, counted per event inside the POSTs);</li>
 *   <li>{@code many_triggers}: {@link ManyTriggersRun};</li>
 *   <li>{@code baseline}: {@link BaselineIsolationRun}, how much a 100,000-row baseline delays the commits around it
 *       ({@code baseline_extra_commit_ms});</li>
 *   <li>{@code resume}: {@link ResumeRun}, kill -9 of the fat jar.</li>
 * </ol>
 * Every pipeline run has a fresh {@link PipelineRig} (emulator, receiver, service on a fresh data directory) in this
 * JVM, so no run inherits another's backlog. A scenario that fails leaves its figures {@code null} with a note; the
 * suite goes on. Goals are reported, not enforced: the exit status is 0 whenever the report was written. A watchdog
 * writes what was measured so far, kills the child JVMs and halts after {@link SuiteSettings#maxRuntimeSeconds}.
 * Loopback only.
 */
public final class BenchmarkSuite {

  static final String SINGLE_TRIGGER = "bench_above_100";
  private static final int WATCHDOG_EXIT = 3;
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(30);
  private static final int PACED_FIGURE_RATE_1K = 1_000;
  private static final int PACED_FIGURE_RATE_5K = 5_000;
  /** The {@code batch.max_events} of the {@code batch_posts} trigger. */
  static final int EVENTS_PER_POST = 100;

  private final SuiteSettings settings;
  private final SuiteReport report;
  private final Vertx vertx = Vertx.vertx();
  private final List<LoadPoint> ladder = new ArrayList<>();
  private final List<LoadPoint> otherPaced = new ArrayList<>();

  private BenchmarkSuite(SuiteSettings settings, SuiteReport report) {
    this.settings = settings;
    this.report = report;
  }

  public static void main(String[] args) throws Exception {
    SuiteSettings settings = SuiteSettings.fromSystemProperties();
    quietServiceLogs();
    SuiteReport report = new SuiteReport(settings);
    startWatchdog(settings, report);
    BenchmarkSuite suite = new BenchmarkSuite(settings, report);
    try {
      suite.run();
    } finally {
      Await.result(suite.vertx.close(), CLOSE_BOUND, "closing Vert.x");
    }
    suite.writeOutputs();
    System.exit(0);
  }

  private void run() {
    System.out.println("==== tycostream-triggers benchmark suite ====");
    System.out.println("machine: " + MachineDescription.describe() + "; load average "
        + MachineDescription.loadAverage());
    System.out.println("settings: " + settings);
    scenario("ceiling", this::ceiling, "http_ceiling_rps");
    scenario("evals", this::evals, "evals_per_s_per_core");
    scenario("warmup", this::warmup);
    scenario("paced", this::paced, "p50_ms_1k", "p99_ms_1k", "p99_ms_5k");
    scenario("single", this::single, "p99_ms_2k_single", "single_change_max_cps");
    scenario("batched", this::batched, "delivered_eps", "delivered_ratio");
    scenario("batch_posts", this::batchPosts, "batched_delivered_eps");
    scenario("many_triggers", this::manyTriggers, "p99_ms_10k_triggers");
    scenario("baseline", this::baseline, "baseline_extra_commit_ms");
    scenario("cluster", this::cluster, "postgres_delivered_eps", "cluster_delivered_eps");
    scenario("resume", this::resume, "resume_ms", "dup_delay_ms_max");
  }

  /** A step of a scenario, allowed to fail. */
  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  private void scenario(String name, Step step, String... keys) {
    if (!settings.runs(name)) {
      report.note(name + ": not run (bench.only=" + String.join(",", settings.only()) + ")"
          + (keys.length == 0 ? "" : "; " + String.join(", ", keys) + " left null"));
      return;
    }
    System.out.println("-- " + name + " (load average " + MachineDescription.loadAverage() + ")");
    long start = System.nanoTime();
    try {
      step.run();
    } catch (Exception | AssertionError e) {
      report.note(name + ": could not run (" + e + "); " + (keys.length == 0 ? "no figure" : String.join(", ", keys)
          + " left null unless measured before the failure"));
      e.printStackTrace(System.out);
    }
    System.out.printf("   %s took %d s%n", name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
  }

  private void ceiling() {
    // the receiver on a Vert.x of its own, as in the pipeline runs (PipelineRig); the client on the service's
    Vertx outside = Vertx.vertx();
    ArrivalRecorder receiver = Await.result(ArrivalRecorder.start(outside), CLOSE_BOUND, "starting the receiver");
    try {
      HttpCeiling ceiling = new HttpCeiling(vertx, receiver.url("/hook"), SampleWebhook.body(settings.noteLength()),
          settings.inFlight());
      Await.result(ceiling.run(settings.ceilingWarmupRequests(), "warmup-"), Duration.ofMinutes(2), "ceiling warm-up");
      HttpCeiling.Result result = Await.result(ceiling.run(settings.ceilingRequests(), "ceiling-"),
          Duration.ofMinutes(2), "ceiling");
      report.put("http_ceiling_rps", result.requestsPerSecond());
      report.scenario("ceiling", new JsonObject().put("requests", result.requests())
          .put("body_bytes", result.bodyBytes()).put("in_flight", result.inFlight())
          .put("seconds", result.elapsedNanos() / 1e9).put("failures", result.failures()));
      System.out.printf("  %d POSTs of %d bytes, %d in flight: %.0f requests/s, %d failures%n", result.requests(),
          result.bodyBytes(), result.inFlight(), result.requestsPerSecond(), result.failures());
    } finally {
      try {
        Await.result(receiver.stop(), CLOSE_BOUND, "stopping the receiver");
      } finally {
        // closed from this thread, not from one of its own event loops
        Await.result(outside.close(), CLOSE_BOUND, "closing the receiver's Vert.x");
      }
    }
  }

  private void evals() {
    ConditionThroughput bench = new ConditionThroughput();
    Duration measured = Duration.ofSeconds(settings.evalSeconds());
    ConditionThroughput.Result simple = bench.measureSimple(measured, measured);
    ConditionThroughput.Result mixed = bench.measureMixed(measured, measured);
    report.put("evals_per_s_per_core", simple.medianPerSecond());
    report.scenario("evals", new JsonObject()
        .put("predicate", ConditionThroughput.SIMPLE_PREDICATE)
        .put("median_per_s", Figures.json(simple.medianPerSecond()))
        .put("iterations_per_s", rates(simple.iterationsPerSecond()))
        .put("matched_fraction", Figures.round(simple.matchedFraction()))
        .put("mixed_four_shapes_median_per_s", Figures.json(mixed.medianPerSecond()))
        .put("mixed_iterations_per_s", rates(mixed.iterationsPerSecond())));
    System.out.printf("  simple predicate: %.0f evaluations/s (median of %d s); four shapes mixed: %.0f/s%n",
        simple.medianPerSecond(), simple.iterationsPerSecond().length, mixed.medianPerSecond());
  }

  private void warmup() throws IOException {
    try (PipelineRig rig = singleTriggerRig()) {
      SaturatedRun.Result result = SaturatedRun.run(rig, "warm-up", settings.batchedChangesPerCommit(),
          Duration.ofSeconds(settings.warmupSeconds()), settings);
      report.scenario("warmup", result.json().put("discarded", true));
    }
  }

  private void paced() throws IOException {
    JsonArray points = new JsonArray();
    report.scenario("paced", points);
    for (int rate : settings.pacedRates()) {
      try (PipelineRig rig = singleTriggerRig()) {
        LoadPoint point = PacedRun.run(rig, "paced " + rate + "/s", rate, PacedRun.changesPerMillisecondCommit(rate),
            settings);
        ladder.add(point);
        points.add(point.json());
        if (rate == PACED_FIGURE_RATE_1K) {
          report.put("p50_ms_1k", point.p50Ms());
          report.put("p99_ms_1k", point.p99Ms());
        }
        if (rate == PACED_FIGURE_RATE_5K) {
          report.put("p99_ms_5k", point.p99Ms());
        }
        noteUnknownPercentile(point);
      }
    }
  }

  private void single() throws Exception {
    try (PipelineRig rig = singleTriggerRig()) {
      LoadPoint point = PacedRun.run(rig, "1 change/timestamp, " + settings.singlePacedRate() + "/s",
          settings.singlePacedRate(), 1, settings);
      otherPaced.add(point);
      report.put("p99_ms_2k_single", point.p99Ms());
      noteUnknownPercentile(point);
      report.scenario("single_paced", point.json());
    }
    try (PipelineRig rig = singleTriggerRig()) {
      SaturatedRun.Result result = SaturatedRun.run(rig, "single saturated", 1, settings);
      report.put("single_change_max_cps", result.eventsPerSecond());
      report.scenario("single_saturated", result.json());
    }
    report.scenario("single_commit_only", CommitOnlyRun.run(vertx, settings).json());
  }

  private void batched() throws IOException {
    try (PipelineRig rig = singleTriggerRig()) {
      SaturatedRun.Result result = SaturatedRun.run(rig, "batched saturated", settings.batchedChangesPerCommit(),
          settings);
      report.put("delivered_eps", result.eventsPerSecond());
      report.scenario("batched_saturated", result.json().put("mean_body_bytes", rig.receiver().meanBodyBytes()));
      Double ceiling = report.get("http_ceiling_rps");
      if (ceiling != null && ceiling > 0) {
        report.put("delivered_ratio", result.eventsPerSecond() / ceiling);
      } else {
        report.note("delivered_ratio: no HTTP ceiling was measured in this run");
      }
    }
  }

  /**
   * {@code delivered_eps}'s load with batch delivery ({@code batch: {max_events: 100, max_wait: 1s}}): the receiver
   * counts the events inside each POST, so the figure is events delivered per second end to end, as
   * {@code delivered_eps}, and the scenario records how many POSTs carried them.
   */
  private void batchPosts() throws IOException {
    try (PipelineRig rig = PipelineRig.start(vertx, settings, settings.keys(), KeyTriggers.all(List.of(SINGLE_TRIGGER)),
        List.of(SINGLE_TRIGGER), (name, source, url) -> BenchTrigger.threshold(name, source, url)
            .batched(EVENTS_PER_POST, "1s"), true)) {
      rig.receiver().unpackBatches();
      SaturatedRun.Result result = SaturatedRun.run(rig, "batch posts saturated", settings.batchedChangesPerCommit(),
          settings);
      report.put("batched_delivered_eps", result.eventsPerSecond());
      long posts = rig.receiver().requests();
      double eventsPerPost = posts == 0 ? 0 : (double) rig.receiver().distinctReceived() / posts;
      JsonObject details = result.json().put("posts", posts)
          .put("mean_events_per_post", Figures.round(eventsPerPost))
          .put("mean_body_bytes", rig.receiver().meanBodyBytes());
      Double ceiling = report.get("http_ceiling_rps");
      if (ceiling != null && ceiling > 0) {
        details.put("posts_per_s_over_http_ceiling_rps", Figures.round(result.eventsPerSecond() / EVENTS_PER_POST
            / ceiling));
      }
      report.scenario("batch_posts", details);
      System.out.printf("  %d POSTs, %.1f events per POST on average%n", posts, eventsPerPost);
    }
  }

  /**
   * {@code delivered_eps}'s run on PostgreSQL: one node, then three clustered nodes (one runs the source, all three
   * deliver), each on a fresh database of the embedded PostgreSQL in this JVM.
   */
  private void cluster() throws IOException {
    Path nodeLog = logDir().resolve("cluster-nodes.log");
    Files.createDirectories(nodeLog.getParent());
    Files.deleteIfExists(nodeLog);
    System.out.println("  the nodes' INFO lines: " + nodeLog);
    try (ScenarioLogFile log = ScenarioLogFile.open(nodeLog)) {
      postgresAndCluster();
    }
  }

  private void postgresAndCluster() throws IOException {
    try (PipelineRig rig = postgresRig(1)) {
      SaturatedRun.Result result = SaturatedRun.run(rig, "postgres saturated (1 node)",
          settings.batchedChangesPerCommit(), settings);
      report.put("postgres_delivered_eps", result.eventsPerSecond());
      report.scenario("postgres_saturated", result.json());
    }
    try (PipelineRig rig = postgresRig(3)) {
      SaturatedRun.Result result = SaturatedRun.run(rig, "cluster saturated (3 nodes)",
          settings.batchedChangesPerCommit(), settings);
      report.put("cluster_delivered_eps", result.eventsPerSecond());
      report.scenario("cluster_saturated", result.json());
    }
  }

  private PipelineRig postgresRig(int nodes) throws IOException {
    return PipelineRig.start(vertx, settings, settings.keys(), KeyTriggers.all(List.of(SINGLE_TRIGGER)),
        List.of(SINGLE_TRIGGER), BenchTrigger::threshold, true, PipelineRig.Topology.onPostgres(nodes));
  }

  private void manyTriggers() throws IOException {
    ManyTriggersRun.Result result = new ManyTriggersRun(vertx, settings).run();
    report.scenario("many_triggers", result.json());
    if (result.point() != null) {
      otherPaced.add(result.point());
      report.put("p99_ms_10k_triggers", result.point().p99Ms());
      noteUnknownPercentile(result.point());
    } else {
      report.note("p99_ms_10k_triggers: " + result.problem());
    }
  }

  private void baseline() throws Exception {
    try (BaselineIsolationRun run = new BaselineIsolationRun(vertx,
        Files.createTempDirectory("tycostream-bench-baseline-"))) {
      BaselineIsolationRun.Result result = run.run();
      report.scenario("baseline", result.json());
      report.put("baseline_extra_commit_ms", (double) result.extraCommitMs());
      if (result.matched() != BaselineIsolationRun.Result.EXPECTED_MATCHED) {
        report.note("baseline_extra_commit_ms: the new trigger holds " + result.matched() + " matched keys, not "
            + BaselineIsolationRun.Result.EXPECTED_MATCHED);
      }
      System.out.printf("  baseline of %d rows took %d ms; slowest commit beyond the slowest before it and the"
          + " longest GC pause (%d ms): %d ms%n", BaselineIsolationRun.VIEW_ROWS, result.baselineMs(),
          result.longestGcPauseMs(), result.extraCommitMs());
    }
  }

  private void resume() throws Exception {
    ResumeRun.Result result = new ResumeRun(vertx, settings, logDir()).run();
    report.scenario("resume", result.json());
    report.put("resume_ms", result.resumeMs());
    report.put("dup_delay_ms_max", result.dupDelayMsMax());
    if (result.resumeMs() == null) {
      report.note("resume_ms: nothing arrived within the bound after the restart");
    }
    if (result.heldAtKill() == 0) {
      report.note("dup_delay_ms_max: no request was held unanswered at the kill; only answered events could be"
          + " re-sent");
    }
    if (result.dupDelayMsMax() == null) {
      report.note("dup_delay_ms_max: a request in flight at the kill was not re-sent within "
          + settings.resumeWaitSeconds() + " s of the restart (> " + settings.resumeWaitSeconds() * 1000 + " ms)");
    }
  }

  private PipelineRig singleTriggerRig() throws IOException {
    return PipelineRig.start(vertx, settings, settings.keys(), KeyTriggers.all(List.of(SINGLE_TRIGGER)),
        List.of(SINGLE_TRIGGER));
  }

  private void noteUnknownPercentile(LoadPoint point) {
    if (point.p99Ms() == null) {
      report.note(point.run() + ": p99 unknown, " + point.missing() + " of " + point.measured()
          + " events not delivered within " + settings.drainSeconds() + " s of the end of writing");
    }
  }

  private Path logDir() {
    Path parent = settings.output().toAbsolutePath().getParent();
    return parent.resolve("benchmark-logs");
  }

  private void writeOutputs() throws IOException {
    Path output = settings.output().toAbsolutePath();
    Files.createDirectories(output.getParent());
    writeReport(report, output);
    String svg = new LatencyPlot(ladder, otherPaced, List.of(
        new LatencyPlot.Goal("p99_ms_1k", PACED_FIGURE_RATE_1K, 25),
        new LatencyPlot.Goal("p99_ms_5k", PACED_FIGURE_RATE_5K, 50)), report.subtitle()).svg();
    Path plot = output.resolveSibling("benchmark-latency.svg");
    Files.writeString(plot, svg, StandardCharsets.UTF_8);
    if (settings.docsDir() != null) {
      Files.copy(plot, settings.docsDir().resolve(plot.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("==== figures (" + output + ", plot " + plot + ") ====");
    report.summary().forEach(System.out::println);
    System.out.println("=============================================");
  }

  private static void writeReport(SuiteReport report, Path output) throws IOException {
    Files.writeString(output, report.json().encodePrettily() + "\n", StandardCharsets.UTF_8);
  }

  private static JsonArray rates(double[] perSecond) {
    JsonArray array = new JsonArray();
    for (double rate : perSecond) {
      array.add(Math.round(rate));
    }
    return array;
  }

  /**
   * The service logs at WARN: its INFO lines (one per trigger created, say) would drown the figures; so do Flyway's
   * and the embedded PostgreSQL's INFO lines, and Hazelcast's WARNs while the cluster nodes start one after another.
   */
  private static void quietServiceLogs() {
    String level = System.getProperty("bench.serviceLogLevel", "WARN");
    setLevel("io.tycostream", Level.toLevel(level, Level.WARN));
    setLevel("org.flywaydb", Level.WARN);
    setLevel("io.zonky", Level.WARN);
    setLevel("com.hazelcast", Level.ERROR);
  }

  private static void setLevel(String name, Level level) {
    if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(level);
    }
  }

  private static void startWatchdog(SuiteSettings settings, SuiteReport report) {
    Thread watchdog = new Thread(() -> {
      try {
        TimeUnit.SECONDS.sleep(settings.maxRuntimeSeconds());
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("benchmark exceeded " + settings.maxRuntimeSeconds() + " s: writing what was measured,"
          + " halting");
      ServiceProcess.killAll();
      report.note("watchdog: the suite was halted after " + settings.maxRuntimeSeconds() + " s; figures still null"
          + " were not measured");
      try {
        writeReport(report, settings.output().toAbsolutePath());
      } catch (IOException | RuntimeException e) {
        System.err.println("could not write the report: " + e);
      }
      Runtime.getRuntime().halt(WATCHDOG_EXIT);
    }, "benchmark-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
