package io.tycostream.triggers.bench;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A diagnostic beside {@code single_change_max_cps}, not one of the figures: how many Materialize timestamps of
 * one change each the source's reader and evaluator take through (read, evaluate, commit the checkpoint) per second
 * when delivery is out of the way: the only trigger ({@link BenchTrigger#never}) is evaluated on every change but never
 * fires. The driver writes open loop at {@link SuiteSettings#commitOnlyRate} for {@link SuiteSettings#commitOnlySeconds}
 * on its own thread; this thread reads the committed frontier ({@code /health/ready}) one second in and when writing
 * ends, and counts the commits between the two frontiers. So comparing it with {@code single_change_max_cps} tells
 * whether delivery or the one-transaction-per-frontier evaluator holds that figure back.
 * <p>
 * Caveat: when the evaluator keeps up with the driver, the figure is the driver's rate (a lower bound); the result says
 * so. The backlog left at the end is abandoned with the rig.
 */
final class CommitOnlyRun {

  private static final String TRIGGER = "bench_never";
  private static final Duration SETTLE = Duration.ofSeconds(1);
  private static final Duration STEP = Duration.ofSeconds(60);

  /**
   * @param committedPerSecond timestamps committed per second between the two frontier readings
   * @param writtenPerSecond   timestamps the driver wrote per second
   * @param behindAtEnd        commits written but not yet committed when writing ended
   */
  record Result(double committedPerSecond, double writtenPerSecond, int behindAtEnd, MachineLoad load) {

    boolean driverBound() {
      return committedPerSecond >= 0.95 * writtenPerSecond;
    }

    JsonObject json() {
      return new JsonObject()
          .put("committed_timestamps_per_s", Figures.round(committedPerSecond))
          .put("written_timestamps_per_s", Figures.round(writtenPerSecond))
          .put("behind_at_end", behindAtEnd)
          .put("lower_bound_driver_limited", driverBound())
          .put("jvm_cores", Figures.round(load.jvmCores()))
          .put("load_average", Figures.round(load.loadAverage()));
    }

    @Override
    public String toString() {
      return String.format("commit only (diagnostic): %.0f timestamps/s committed, %.0f/s written, %d behind at the"
          + " end%s; %s", committedPerSecond, writtenPerSecond, behindAtEnd, driverBound() ? " (driver-bound)" : "",
          load);
    }
  }

  private CommitOnlyRun() {
  }

  static Result run(io.vertx.core.Vertx vertx, SuiteSettings settings) throws Exception {
    ExecutorService writerThread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable,
        "benchmark-commit-only-writer"));
    try (PipelineRig rig = PipelineRig.start(vertx, settings, settings.keys(), KeyTriggers.all(List.of()),
        List.of(TRIGGER), BenchTrigger::never, true)) {
      MachineLoad.Meter meter = MachineLoad.start();
      java.util.concurrent.Future<ChangeDriver.Driven> writing = writerThread.submit(() -> rig.driver().drive(
          ChangeDriver.Load.paced(settings.commitOnlyRate(), 1, Duration.ofSeconds(settings.commitOnlySeconds()))));
      TimeUnit.MILLISECONDS.sleep(SETTLE.toMillis());
      long firstNanos = System.nanoTime();
      long first = frontier(rig);
      ChangeDriver.Driven driven = writing.get(settings.commitOnlySeconds() + STEP.toSeconds(), TimeUnit.SECONDS);
      long lastNanos = System.nanoTime();
      long last = frontier(rig);
      MachineLoad load = meter.stop();
      int committed = driven.commitsBetween(first, last);
      int behind = driven.commitsBetween(last, Long.MAX_VALUE);
      Result result = new Result(committed * 1e9 / (lastNanos - firstNanos), driven.commits() * 1e9
          / Math.max(1, driven.endNanos() - driven.startNanos()), behind, load);
      System.out.println("  " + result);
      return result;
    } finally {
      writerThread.shutdownNow();
    }
  }

  private static long frontier(PipelineRig rig) {
    return Await.result(rig.admin().committedFrontier(PipelineRig.SOURCE), STEP, "reading the committed frontier");
  }
}
