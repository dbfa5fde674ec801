package io.tycostream.triggers.bench;

import java.time.Duration;

/**
 * Latency at a paced, open-loop load: the driver writes {@code changesPerSecond} for {@link SuiteSettings#pacedSeconds}
 * in commits of {@code changesPerCommit} (one Materialize timestamp each), then waits up to
 * {@link SuiteSettings#drainSeconds} for the last delivery. The percentiles cover the events written after
 * {@link SuiteSettings#pacedWarmupSeconds}: from just before the emulator commit that causes an event to that event's
 * first arrival at the receiver, matched by the deterministic event id.
 * <p>
 * Caveat: open loop. A rate above what the pipeline delivers builds a backlog for the whole run, so the percentiles
 * then grow with the run's length (queueing, not service time); {@link LoadPoint#writtenPerSecond()} below the offered
 * rate means the driver itself could not keep up.
 */
final class PacedRun {

  private PacedRun() {
  }

  static LoadPoint run(PipelineRig rig, String name, int changesPerSecond, int changesPerCommit,
                       SuiteSettings settings) {
    ChangeDriver driver = rig.driver();
    ArrivalRecorder receiver = rig.receiver();
    long owedBefore = driver.eventsExpected() - receiver.distinctReceived();
    MachineLoad.Meter meter = MachineLoad.start();
    ChangeDriver.Driven driven = driver.drive(ChangeDriver.Load.paced(changesPerSecond, changesPerCommit,
        Duration.ofSeconds(settings.pacedSeconds())));
    Await.until(() -> driver.eventsExpected() - receiver.distinctReceived() <= owedBefore,
        Duration.ofSeconds(settings.drainSeconds()));
    MachineLoad load = meter.stop();
    LatencyStats stats = LatencyStats.of(driven.writtenAfter(Duration.ofSeconds(settings.pacedWarmupSeconds())),
        receiver);
    LoadPoint point = LoadPoint.of(name, changesPerSecond, changesPerCommit, driven.changesPerSecond(), stats, load);
    System.out.println("  " + point);
    return point;
  }

  /** Commits at most once a millisecond (Materialize's timestamp grain): the changes per commit a rate needs. */
  static int changesPerMillisecondCommit(int changesPerSecond) {
    return Math.max(1, (changesPerSecond + 999) / 1000);
  }
}
