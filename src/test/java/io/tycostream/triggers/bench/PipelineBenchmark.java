package io.tycostream.triggers.bench;

import io.tycostream.triggers.app.TriggersApplication;
import io.tycostream.triggers.config.ConfigLoader;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The pipeline benchmark (issue #3 "Measure"): the raw loopback HTTP ceiling, then the whole service in this JVM on
 * the Materialize wire emulator, delivering to a loopback receiver. Prints delivered events/s and the latency from
 * each emulator write to the receiver, for a saturating phase and for a paced phase well below capacity.
 * <p>
 * Run with {@code mvn -B test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.tycostream.triggers.bench.PipelineBenchmark}; see docs/benchmarks.md. Settings are system
 * properties ({@link BenchmarkSettings}). Loopback only; a watchdog halts the JVM if the run overstays its bound.
 * <p>
 * Runs on the calling (non-event-loop) thread, which blocks on futures and parks between writes.
 */
public final class PipelineBenchmark {

  private static final String SOURCE = "bench";
  private static final List<String> TRIGGERS = List.of("bench_above_100", "bench_hysteresis");

  private final BenchmarkSettings settings;
  private final Vertx vertx = Vertx.vertx();

  private PipelineBenchmark(BenchmarkSettings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
    startWatchdog(settings.maxRuntimeSeconds());
    new PipelineBenchmark(settings).run();
  }

  private void run() throws Exception {
    Path dataDir = Files.createTempDirectory("tycostream-bench-");
    List<String> report = new ArrayList<>();
    report.add("machine: " + MachineDescription.describe());
    report.add("date: " + Instant.now());
    report.add("settings: " + settings);
    try {
      HttpCeiling.Result ceiling = measureCeiling();
      double ceilingPerSecond = ceiling.requestsPerSecond();
      report.add(String.format("http ceiling: %d POSTs of %d bytes, %d in flight, keep-alive: %.0f requests/s"
              + " (%.2f s, %d failures)", ceiling.requests(), ceiling.bodyBytes(), ceiling.inFlight(),
          ceilingPerSecond, ceiling.elapsedNanos() / 1e9, ceiling.failures()));
      report.addAll(measurePipeline(dataDir, ceilingPerSecond));
    } finally {
      await(vertx.close(), 30);
      deleteRecursively(dataDir);
    }
    System.out.println();
    System.out.println("==== tycostream-triggers pipeline benchmark ====");
    report.forEach(System.out::println);
    System.out.println("================================================");
  }

  private HttpCeiling.Result measureCeiling() {
    ArrivalRecorder receiver = await(ArrivalRecorder.start(vertx), 10);
    try {
      HttpCeiling ceiling = new HttpCeiling(vertx, receiver.url("/hook"), SampleWebhook.body(settings.noteLength()),
          settings.inFlight());
      await(ceiling.run(settings.ceilingWarmupRequests(), "warmup-"), 120);
      return await(ceiling.run(settings.ceilingRequests(), "ceiling-"), 120);
    } finally {
      await(receiver.stop(), 10);
    }
  }

  private List<String> measurePipeline(Path dataDir, double ceilingPerSecond) throws InterruptedException {
    MaterializeEmulator emulator = await(MaterializeEmulator.start(vertx,
        new EmulatorOptions().setTickMs(settings.emulatorTickMs())), 10);
    ArrivalRecorder receiver = await(ArrivalRecorder.start(vertx), 10);
    List<String> triggers = TRIGGERS.subList(0, settings.triggers());
    ChangeDriver driver = new ChangeDriver(emulator, settings.keys(), triggers, settings.noteLength());
    driver.createView();
    TriggersApplication application = new TriggersApplication(vertx, config(emulator, receiver, dataDir, triggers));
    List<String> lines = new ArrayList<>();
    try {
      await(application.start(), 60);
      awaitTriggersActive(application.adminPort(), triggers);
      PhaseResult warmup = runPhase("warm-up", driver, receiver, ceilingPerSecond, settings.warmupChanges(),
          settings.warmupRate());
      PhaseResult saturation = runPhase("saturation", driver, receiver, ceilingPerSecond, settings.changes(),
          settings.rate());
      PhaseResult paced = runPhase("paced", driver, receiver, ceilingPerSecond, settings.pacedChanges(),
          settings.pacedRate());
      lines.add(String.format("pipeline: %d trigger(s) on one materialize source (emulator tick %d ms), %d keys,"
              + " %d change(s) per emulator commit, webhook body ~%d bytes, delivery max in flight %d",
          triggers.size(), settings.emulatorTickMs(), settings.keys(), settings.changesPerCommit(),
          receiver.meanBodyBytes(), settings.inFlight()));
      for (PhaseResult phase : List.of(warmup, saturation, paced)) {
        lines.add(phase.describe(ceilingPerSecond));
      }
      lines.add(String.format("receiver: %d requests, %d redeliveries", receiver.requests(), receiver.duplicates()));
    } finally {
      await(application.stop(), 30);
      await(receiver.stop(), 10);
      await(emulator.stop(), 10);
    }
    return lines;
  }

  /** Both fire when a key goes to {@link ChangeDriver#HIGH} and clear when it goes back to {@link ChangeDriver#LOW}. */
  private TriggersConfig config(MaterializeEmulator emulator, ArrivalRecorder receiver, Path dataDir,
                                List<String> triggers) {
    List<BenchTrigger> definitions = new ArrayList<>();
    for (String name : triggers) {
      String url = receiver.url("/hooks/" + name);
      definitions.add(name.equals(TRIGGERS.get(0)) ? BenchTrigger.threshold(name, SOURCE, url)
          : BenchTrigger.hysteresis(name, SOURCE, url));
    }
    String yaml = new ServiceConfigYaml(dataDir, 0, SOURCE, emulator.port(), settings.inFlight(), definitions).text();
    return ConfigLoader.load(yaml, "benchmark.yaml", Map.of());
  }

  private PhaseResult runPhase(String name, ChangeDriver driver, ArrivalRecorder receiver, double ceilingPerSecond,
                               int changes, int rate) throws InterruptedException {
    MachineLoad.Meter meter = MachineLoad.start();
    long start = System.nanoTime();
    Map<String, Long> expected = driver.drive(changes, rate, settings.changesPerCommit());
    long writeElapsed = System.nanoTime() - start;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.phaseTimeoutSeconds());
    while (!PhaseResult.allArrived(expected, receiver) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    PhaseResult result = PhaseResult.of(name, changes, writeElapsed, expected, receiver, meter.stop());
    System.out.println(result.describe(ceilingPerSecond));
    return result;
  }

  /** A trigger evaluates only once baselined; the phases' writes must not race its snapshot. */
  private void awaitTriggersActive(int adminPort, List<String> triggers) throws InterruptedException {
    WebClient client = WebClient.create(vertx);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (String name : triggers) {
        while (true) {
          String status = await(client.get(adminPort, "127.0.0.1", "/api/v1/triggers/" + name).putHeader("authorization", TestApiKeys.AUTHORIZATION).send(), 10)
              .bodyAsJsonObject().getString("status");
          if ("active".equals(status)) {
            break;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("trigger " + name + " still " + status + " after 30 s");
          }
          TimeUnit.MILLISECONDS.sleep(50);
        }
      }
    } finally {
      client.close();
    }
  }

  private static void startWatchdog(int seconds) {
    Thread watchdog = new Thread(() -> {
      try {
        TimeUnit.SECONDS.sleep(seconds);
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("benchmark exceeded " + seconds + " s, halting");
      Runtime.getRuntime().halt(3);
    }, "benchmark-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static <T> T await(Future<T> future, int seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark step failed: " + e, e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
