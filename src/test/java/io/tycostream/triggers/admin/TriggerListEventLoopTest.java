package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerPage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that listing a large catalogue (the case: 1,500 triggers of about 60 KB definitions each, which
 * once exhausted a 1 GB heap and held the event loop for 23.7 s in one GET) walks page by page without holding the
 * admin event loop: the whole Vert.x instance has ONE event loop, and a 1 ms periodic timer on it records the longest
 * gap between its runs while every page is read. The count can be changed with
 * {@code -Dtycostream.listLoad.triggers=N}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TriggerListEventLoopTest {

  private static final Logger LOG = LoggerFactory.getLogger(TriggerListEventLoopTest.class);
  private static final int TRIGGERS = Integer.getInteger("tycostream.listLoad.triggers", 1_500);
  /** Values in the fire condition's {@code _in} list; with 30-character values a definition is about 60 KB. */
  private static final int VALUES = 1_900;
  /** What the event loop may be held for at most: generous, as builds share the machine's cores. */
  private static final long MAX_BLOCKED_MS = 500;

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private AdminApiFixture api;

  @BeforeEach
  void start() {
    // one event loop for everything; the blocked-thread checker logs any single task holding it over 100 ms
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setMaxEventLoopExecuteTime(100)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS).setBlockedThreadCheckInterval(20));
    api = AdminApiFixture.start(vertx, dataDir, false, false);
  }

  @AfterEach
  void stop() {
    api.close();
    await(vertx.close());
  }

  /** Verifies that walking every page never holds the event loop long, and returns every trigger once. */
  @Test
  void walksALargeCatalogueWithoutHoldingTheEventLoop() {
    // GIVEN the catalogue of large triggers
    String sample = largeDefinition("big_00000");
    for (int from = 0; from < TRIGGERS; from += 100) {
      await(Future.all(IntStream.range(from, Math.min(TRIGGERS, from + 100))
          .mapToObj(i -> api.store.createTrigger(new NewTrigger("big_%05d".formatted(i), "positions",
              largeDefinition("big_%05d".formatted(i)), "secret")))
          .collect(Collectors.toList())));
    }

    // WHEN every page is read (limit 1000) while a 1 ms timer on the only event loop records its longest gap
    AtomicLong last = new AtomicLong(System.nanoTime());
    AtomicLong longestGap = new AtomicLong();
    long probe = vertx.setPeriodic(1, tick -> {
      long now = System.nanoTime();
      longestGap.accumulateAndGet(now - last.getAndSet(now), Math::max);
    });
    long gcBefore = gcMillis();
    long started = System.nanoTime();
    List<String> names = new ArrayList<>();
    int pages = 0;
    long largestPageBytes = 0;
    String cursor = null;
    do {
      var response = api.get(TriggerRoutes.TRIGGERS + "?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(response.statusCode()).isEqualTo(200);
      largestPageBytes = Math.max(largestPageBytes, response.body().length());
      JsonObject page = response.bodyAsJsonObject();
      page.getJsonArray("triggers").forEach(t -> names.add(((JsonObject) t).getString("name")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    long walkMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    vertx.cancelTimer(probe);
    long blockedMs = TimeUnit.NANOSECONDS.toMillis(longestGap.get());
    long gcMs = gcMillis() - gcBefore;

    // THEN every trigger came once, in order, and the event loop was never held for long
    LOG.info("listed a large catalogue [triggers: {}, definition chars: {}, pages: {}, largest page bytes: {}, "
        + "walk ms: {}, longest event-loop gap ms: {}, gc ms during the walk: {}, whole catalogue rendered at once "
        + "ms: {}]", TRIGGERS, sample.length(), pages, largestPageBytes, walkMs, blockedMs, gcMs,
        renderEverythingAtOnceMs());
    assertThat(names).hasSize(TRIGGERS).doesNotHaveDuplicates().isSorted();
    assertThat(blockedMs).isLessThan(MAX_BLOCKED_MS);
  }

  /** What the former unpaged handler did on the event loop: render the whole catalogue in one answer (here timed). */
  private long renderEverythingAtOnceMs() {
    List<StoredTrigger> all = await(api.store.listTriggers());
    long started = System.nanoTime();
    int bytes = TriggerJson.page(new TriggerPage(all, null)).toBuffer().length();
    assertThat(bytes).isPositive();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }

  /** Time the JVM spent collecting garbage so far (pauses stop the event loop too, and the probe sees them). */
  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(ms -> ms > 0).sum();
  }

  private static String largeDefinition(String name) {
    String values = IntStream.range(0, VALUES).mapToObj(i -> "\"account-%s-%08d\"".formatted(name, i))
        .collect(Collectors.joining(","));
    String request = """
        {"name": "%s", "source": "positions", "webhook": {"url": "https://hooks.example.com/risk"},
         "fire": {"account": {"_in": [%s]}}}""".formatted(name, values);
    return TriggerDefinitionParser.parseRequest(request, TriggerDefinitionParser.Checks.NONE).definition().toJson();
  }
}
