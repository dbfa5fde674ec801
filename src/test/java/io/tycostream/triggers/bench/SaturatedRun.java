package io.tycostream.triggers.bench;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;

/**
 * The delivered rate under saturation, as a closed loop: for {@link SuiteSettings#saturationSeconds} the driver writes
 * (or as long as asked) as fast as it can while fewer than {@link SuiteSettings#saturationBacklog} events are written but not yet received,
 * so the pipeline always has work queued (offered load above capacity) yet the backlog, and so the drain, stays
 * bounded whatever the pipeline's speed. The rate is the number of the run's events that first arrived between the
 * end of {@link SuiteSettings#saturationWarmupSeconds} and the end of writing, over that window.
 * <p>
 * Caveats: the driver shares the machine with the pipeline (it hashes every event id and writes into the emulator in
 * this JVM). A backlog at the end well below the bound means the driver, not the pipeline, was the limit; the result
 * records it.
 */
final class SaturatedRun {

  /**
   * @param eventsPerSecond   first arrivals per second in the steady window
   * @param backlogAtEnd      events written but not received when writing stopped
   * @param latency           commit to receiver over the steady window (queueing time, mostly)
   */
  record Result(String run, int changesPerCommit, double eventsPerSecond, double writtenPerSecond, long backlogAtEnd,
                int events, int delivered, LatencyStats latency, MachineLoad load) {

    JsonObject json() {
      return new JsonObject()
          .put("changes_per_commit", changesPerCommit)
          .put("delivered_events_per_s", Figures.round(eventsPerSecond))
          .put("written_changes_per_s", Math.round(writtenPerSecond))
          .put("backlog_at_end", backlogAtEnd)
          .put("events", events)
          .put("delivered", delivered)
          .put("queueing_p50_ms", Figures.round(latency.millis(50)))
          .put("queueing_p99_ms", Figures.round(latency.millis(99)))
          .put("jvm_cores", Figures.round(load.jvmCores()))
          .put("load_average", Figures.round(load.loadAverage()));
    }

    @Override
    public String toString() {
      return String.format("%s: %d change(s) per commit, delivered %.0f events/s (steady window), written %.0f"
              + " changes/s, backlog at end %d, %d of %d delivered; queueing p50 %s p99 %s ms; %s", run,
          changesPerCommit, eventsPerSecond, writtenPerSecond, backlogAtEnd, delivered, events,
          Figures.text(latency.millis(50)), Figures.text(latency.millis(99)), load);
    }
  }

  private SaturatedRun() {
  }

  /** Writes for {@link SuiteSettings#saturationSeconds}. */
  static Result run(PipelineRig rig, String name, int changesPerCommit, SuiteSettings settings) {
    return run(rig, name, changesPerCommit, Duration.ofSeconds(settings.saturationSeconds()), settings);
  }

  static Result run(PipelineRig rig, String name, int changesPerCommit, Duration writing, SuiteSettings settings) {
    ChangeDriver driver = rig.driver();
    ArrivalRecorder receiver = rig.receiver();
    long owedBefore = driver.eventsExpected() - receiver.distinctReceived();
    MachineLoad.Meter meter = MachineLoad.start();
    ChangeDriver.Driven driven = driver.drive(ChangeDriver.Load.saturating(changesPerCommit, writing,
        () -> driver.eventsExpected() - receiver.distinctReceived() - owedBefore >= settings.saturationBacklog()));
    long backlog = driver.eventsExpected() - receiver.distinctReceived() - owedBefore;
    long windowStart = driven.startNanos() + Duration.ofSeconds(settings.saturationWarmupSeconds()).toNanos();
    long windowEnd = driven.endNanos();
    MachineLoad load = meter.stop();
    Await.until(() -> driver.eventsExpected() - receiver.distinctReceived() <= owedBefore,
        Duration.ofSeconds(settings.drainSeconds()));
    Map<String, Long> expected = driven.expected();
    long inWindow = expected.keySet().stream().map(receiver::arrivalNanos)
        .filter(arrival -> arrival != null && arrival >= windowStart && arrival < windowEnd).count();
    LatencyStats latency = LatencyStats.of(driven.writtenAfter(
        Duration.ofSeconds(settings.saturationWarmupSeconds())), receiver);
    Result result = new Result(name, changesPerCommit, inWindow * 1e9 / Math.max(1, windowEnd - windowStart),
        driven.changesPerSecond(), backlog, expected.size(), LatencyStats.of(expected, receiver).delivered(), latency,
        load);
    System.out.println("  " + result);
    return result;
  }
}
