package io.tycostream.triggers.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Latency with many triggers on one source ({@code p99_ms_10k_triggers}): a view of {@link SuiteSettings#manyTriggers}
 * keys and as many triggers, created through the REST API ({@link SuiteSettings#createConcurrency} requests at a
 * time), trigger {@code k_<n>} watching key {@code n} only: {@code {"id": {"_eq": n}, "value": {"_gt": 100}}}. So
 * every change is evaluated against every trigger's condition but fires (or clears) exactly one event. Once every
 * trigger is active, a {@link PacedRun} at {@link SuiteSettings#manyTriggersRate} changes/s (a commit at most every
 * millisecond) measures commit-to-receiver latency.
 * <p>
 * The view starts empty, so each trigger (created while the source streams, hence baselined on its own fresh snapshot)
 * baselines on an empty snapshot; then one commit inserts every key at {@link ChangeDriver#LOW} (no event, but every
 * row evaluated against every trigger), and the run waits until the source's committed frontier passed it.
 * <p>
 * Caveats: the setup is bounded by {@link SuiteSettings#manyTriggersSetupSeconds}; past that the figure stays unknown
 * (the setup times are reported; they are not the figure).
 */
final class ManyTriggersRun {

  static final String PREFIX = "k_";
  private static final Duration STATUS_POLL = Duration.ofSeconds(2);
  private static final Duration STEP = Duration.ofSeconds(60);

  /**
   * @param point   the paced run, or {@code null} when the setup did not finish
   * @param problem why there is no point
   */
  record Result(int triggers, double createSeconds, double activeSeconds, double populateSeconds,
                Map<String, Integer> statuses, LoadPoint point, String problem) {

    JsonObject json() {
      JsonObject json = new JsonObject()
          .put("triggers", triggers)
          .put("created_in_s", Figures.round(createSeconds))
          .put("all_active_in_s", Figures.round(activeSeconds))
          .put("populating_commit_evaluated_in_s", Figures.round(populateSeconds))
          .put("statuses_at_start", new JsonObject(new java.util.LinkedHashMap<>(statuses)));
      if (point != null) {
        json.put("paced", point.json());
      }
      if (problem != null) {
        json.put("problem", problem);
      }
      return json;
    }
  }

  private final Vertx vertx;
  private final SuiteSettings settings;

  ManyTriggersRun(Vertx vertx, SuiteSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  Result run() throws IOException {
    int count = settings.manyTriggers();
    try (PipelineRig rig = PipelineRig.start(vertx, settings, count, KeyTriggers.onePerKey(PREFIX), List.of(),
        BenchTrigger::threshold, false)) {
      List<BenchTrigger> triggers = new ArrayList<>(count);
      String url = rig.hookUrl("many");
      for (int key = 0; key < count; key++) {
        triggers.add(BenchTrigger.perKey(PREFIX + key, PipelineRig.SOURCE, url, key));
      }
      long start = System.nanoTime();
      long deadline = start + Duration.ofSeconds(settings.manyTriggersSetupSeconds()).toNanos();
      Await.result(rig.admin().createAll(triggers, settings.createConcurrency()),
          Duration.ofNanos(deadline - System.nanoTime()), "creating " + count + " triggers");
      double createSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("  %d triggers created in %.1f s%n", count, createSeconds);
      Map<String, Integer> statuses = Map.of();
      while (System.nanoTime() < deadline) {
        statuses = Await.result(rig.admin().statusCounts(), STEP, "reading trigger statuses");
        if (statuses.getOrDefault(AdminClient.ACTIVE, 0) >= count) {
          break;
        }
        Await.sleep(STATUS_POLL.toMillis());
      }
      double activeSeconds = (System.nanoTime() - start) / 1e9;
      if (statuses.getOrDefault(AdminClient.ACTIVE, 0) < count) {
        String problem = String.format("only %s after %d s of setup (bench.manyTriggersSetupSeconds)", statuses,
            settings.manyTriggersSetupSeconds());
        return new Result(count, createSeconds, activeSeconds, 0, statuses, null, problem);
      }
      System.out.printf("  all %d active after %.1f s%n", count, activeSeconds);
      long populated = rig.driver().populate();
      long populateStart = System.nanoTime();
      boolean evaluated = Await.until(() -> PipelineRig.committedPast(rig.admin(), populated), STEP);
      double populateSeconds = (System.nanoTime() - populateStart) / 1e9;
      if (!evaluated) {
        return new Result(count, createSeconds, activeSeconds, populateSeconds, statuses, null,
            "the commit inserting the " + count + " rows was not evaluated within " + STEP.toSeconds() + " s");
      }
      System.out.printf("  %d rows inserted in one commit, evaluated against every trigger in %.1f s%n", count,
          populateSeconds);
      int rate = settings.manyTriggersRate();
      LoadPoint point = PacedRun.run(rig, String.format("%,d triggers, %,d/s", count, rate), rate,
          PacedRun.changesPerMillisecondCommit(rate), settings);
      return new Result(count, createSeconds, activeSeconds, populateSeconds, statuses, point, null);
    }
  }
}
