package io.tycostream.triggers.bench;

import io.vertx.core.json.JsonObject;

/**
 * What one paced run measured: the offered load, what was written and delivered, and the latency percentiles from
 * emulator commit to receiver over the events written after the run's warm-up ({@code null}: more of them than the
 * percentile allows never arrived within the drain bound).
 *
 * @param offeredPerSecond changes/s the driver was asked for (events/s with one event per change)
 */
record LoadPoint(String run, int offeredPerSecond, int changesPerCommit, double writtenPerSecond, int measured,
                 int delivered, Double p50Ms, Double p90Ms, Double p99Ms, Double maxMs, MachineLoad load) {

  static LoadPoint of(String run, int offeredPerSecond, int changesPerCommit, double writtenPerSecond,
                      LatencyStats stats, MachineLoad load) {
    return new LoadPoint(run, offeredPerSecond, changesPerCommit, writtenPerSecond, stats.expected(),
        stats.delivered(), stats.millis(50), stats.millis(90), stats.millis(99), stats.millis(100), load);
  }

  int missing() {
    return measured - delivered;
  }

  JsonObject json() {
    return new JsonObject()
        .put("offered_per_s", offeredPerSecond)
        .put("changes_per_commit", changesPerCommit)
        .put("written_per_s", Math.round(writtenPerSecond))
        .put("measured_events", measured)
        .put("delivered", delivered)
        .put("p50_ms", Figures.round(p50Ms))
        .put("p90_ms", Figures.round(p90Ms))
        .put("p99_ms", Figures.round(p99Ms))
        .put("max_ms", Figures.round(maxMs))
        .put("jvm_cores", Figures.round(load.jvmCores()))
        .put("load_average", Figures.round(load.loadAverage()));
  }

  @Override
  public String toString() {
    return String.format("%s: offered %d/s (%d per commit), written %.0f/s, %d events measured, %d missing;"
            + " latency ms p50 %s p90 %s p99 %s max %s; %s", run, offeredPerSecond, changesPerCommit,
        writtenPerSecond, measured, missing(), Figures.text(p50Ms), Figures.text(p90Ms), Figures.text(p99Ms),
        Figures.text(maxMs), load);
  }
}
