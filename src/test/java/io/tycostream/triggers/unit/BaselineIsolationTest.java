package io.tycostream.triggers.unit;

import io.tycostream.triggers.testkit.BaselineIsolationRun;
import io.tycostream.triggers.testkit.BaselineIsolationRun.Latencies;
import io.tycostream.triggers.testkit.BaselineIsolationRun.Result;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that baselining a trigger on a 100,000-row view is never one long step: while source A's new trigger is
 * baselined (a fresh snapshot of the whole view, evaluated and staged), the commits of source B and of A's other
 * triggers go on. A baseline done in one step would hold them for its whole length (seconds); the bound here is 1 s
 * over the slowest commit before the baseline and the longest GC pause, so the test holds on a loaded 2-core machine.
 * The tight figure (goal: 100 ms) is the benchmark's {@code baseline_extra_commit_ms}, measured by the same
 * {@link BaselineIsolationRun}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BaselineIsolationTest {

  private static final Logger LOG = LoggerFactory.getLogger(BaselineIsolationTest.class);
  private static final long ALLOWED_DELAY_MS = 1_000;

  @TempDir
  Path dataDir;

  /** Verifies the isolation of a large baseline from the other source's and the same source's other commits. */
  @Test
  void aLargeBaselineIsNeverOneLongStepForOtherCommits(Vertx vertx) throws Exception {
    // GIVEN a view "big" of 100,000 rows, a table "small", a trigger on each and writes to both every 2 ms
    // WHEN a trigger matching about half of the view, with include_snapshot, is created on "big" and baselined while
    // the writes go on
    Result result;
    try (BaselineIsolationRun run = new BaselineIsolationRun(vertx, dataDir)) {
      result = run.run();
    }
    LOG.info("baseline isolation: {}", result.json().encode());

    // THEN the new trigger holds half of the view plus the five keys the writes lifted, each with its snapshot FIRE
    assertThat(result.matched()).isEqualTo(Result.EXPECTED_MATCHED);
    assertThat(result.snapshotFires()).isEqualTo(Result.EXPECTED_MATCHED);
    // AND for each source, commits went on during the baseline, none delayed by the baseline as a whole
    for (String source : result.during().keySet()) {
      Latencies before = result.before().get(source);
      Latencies during = result.during().get(source);
      assertThat(during.count()).as("writes to %s during the baseline", source).isGreaterThan(20);
      assertThat(during.maxMs()).as("%s: the slowest commit during the %d ms baseline (before: %s, during: %s, "
          + "longest gc pause: %d ms)", source, result.baselineMs(), before, during, result.longestGcPauseMs())
          .isLessThanOrEqualTo(before.maxMs() + ALLOWED_DELAY_MS + result.longestGcPauseMs());
    }
  }
}
