package io.tycostream.triggers.app;

import io.tycostream.triggers.app.crash.AdminProbe;
import io.tycostream.triggers.app.crash.ChaosScenario;
import io.tycostream.triggers.app.crash.DeliveryAudit;
import io.tycostream.triggers.app.crash.ExpectedEvent;
import io.tycostream.triggers.app.crash.PositionChange;
import io.tycostream.triggers.app.crash.PositionsWriter;
import io.tycostream.triggers.app.crash.ReferenceTriggers;
import io.tycostream.triggers.app.crash.ReferenceTriggers.Rule;
import io.tycostream.triggers.app.crash.ServiceJvm;
import io.tycostream.triggers.delivery.DeliveryOptions;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the crash acceptance of the durable pipeline: the packaged service, SIGKILLed at random moments and
 * restarted on the same data directory while the emulator streams a few thousand changes to three triggers, delivers
 * at least once every event a crash-free run produces (as an independent reference model computes them), with the
 * documented ids, the right bodies and valid signatures, and nothing else.
 * <p>
 * The emulator and the webhook receiver run in this JVM, so their data outlives the kills. Seeded: pass
 * {@code -Dcrash.seed=<n>} to replay another schedule of writes and kills.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashRecoveryIT {

  private static final long SEED = Long.getLong("crash.seed", 20_261_128L);
  private static final String SOURCE = ChaosScenario.SOURCE;
  private static final int KEYS = 40;
  private static final int CHANGES = 3_000;
  private static final Duration WRITING = Duration.ofSeconds(27);
  private static final int MIN_KILL_GAP_MS = 1_000;
  private static final int MAX_KILL_GAP_MS = 2_500;
  private static final int MIN_KILLS = 10;
  private static final Duration FIRST_START_LIMIT = Duration.ofSeconds(30);
  /**
   * Time the last life gets to catch up after the last kill. Far below the delivery lease
   * ({@link DeliveryOptions#DEFAULT_LEASE}): a restarted service releases its previous life's claims at once, so what
   * was in flight at a kill is re-sent within seconds, not after the lease.
   */
  private static final Duration CATCH_UP_MARGIN = Duration.ofSeconds(30);
  /**
   * How long before a kill an answered event may still be re-sent: it was in flight, or its outcome was in the batch
   * not yet written (outcomes are written a few milliseconds apart; more under load). An event answered earlier and
   * re-sent anyway shows the delivered record lagging behind the answers, as it did when each outcome was its own
   * transaction behind the single writer (answers of the last 0.9 s before a kill were re-sent, about 21 per kill
   * with this seed).
   * <p>
   * The plain count of re-sent deliveries per kill is printed, not bounded: it depends on where the kills land. Each
   * life is killed 1 to 2.5 s after its start, often while it delivers the backlog that built up during the restart
   * (64 requests in flight); measured 0.6 to 29 per kill on this machine, with the load of the rest of the build.
   */
  private static final Duration ANSWERED_BEFORE_KILL = Duration.ofMillis(500);
  /** Re-sends of events answered more than {@link #ANSWERED_BEFORE_KILL} before the kill, per kill, allowed. */
  private static final double MAX_LATE_RESENDS_PER_KILL = 1;
  /**
   * Latest re-send of an event after a restart (JVM start included); half the 60 s lease, so a re-send that waited
   * for the lease fails it. Measured 6.8 s in a quiet run and 20 s once with the rest of the build on the machine;
   * the 5 s goal is the benchmark's {@code dup_delay_ms_max}.
   */
  private static final Duration MAX_RESEND_AFTER_RESTART = Duration.ofSeconds(30);
  /** Consecutive quiet polls (source past the last write, nothing pending) that end the catch-up. */
  private static final int QUIET_POLLS = 3;

  private static final List<Rule> RULES = ChaosScenario.RULES;

  @TempDir
  Path dir;

  /** Verifies that SIGKILLs at random moments lose no event and invent none. */
  @Test
  void deliversEveryEventOfACrashFreeRunDespiteRepeatedSigkills(Vertx vertx) throws Exception {
    long began = System.nanoTime();
    // GIVEN an empty positions table in the emulator (history kept for 10 min), a receiver, and the service started
    // with three triggers on it, each with its own secret, all active before the first write
    MaterializeEmulator emulator = await(MaterializeEmulator.start(vertx,
        new EmulatorOptions().setTickMs(50).setRetentionMs(600_000)));
    emulator.createTable(PositionsWriter.TABLE, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("qty", PgType.INT8), EmulatorColumn.of("price", PgType.NUMERIC),
        EmulatorColumn.of("active", PgType.BOOL));
    WebhookReceiver receiver = await(WebhookReceiver.start(vertx));
    Map<String, String> secrets = ChaosScenario.newSecrets();
    int adminPort = freePort();
    Path config = ChaosScenario.writeConfig(dir, adminPort, emulator.port(), receiver, secrets, "");
    ServiceJvm service = new ServiceJvm(ChaosScenario.fatJar(), config, dir,
        ChaosScenario.freshLogDir("crash-it-logs"));
    AdminProbe admin = new AdminProbe(adminPort);
    ExecutorService writerThread = Executors.newSingleThreadExecutor();
    try {
      service.start();
      awaitTriggersActive(service, admin);

      // WHEN a writer makes a few thousand changes while the service is SIGKILLed and restarted at random moments
      ChaosRun run = writeWhileKilling(emulator, service, writerThread);

      // AND the last life runs until the source is past the last write and no event is pending any more
      awaitQuiet(service, admin, run.lastWrite(), run.lastKillNanos() + CATCH_UP_MARGIN.toNanos());
      long catchUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - run.writtenNanos());

      // THEN every event of a crash-free run arrived at least once, with its documented id, body and signature,
      // and nothing else did
      Map<String, ExpectedEvent> expected = new ReferenceTriggers(RULES).expectedEvents(run.changes());
      DeliveryAudit audit = new DeliveryAudit(expected, secrets, receiver.received());
      report(run, service, expected, audit, catchUpMs, began);
      SoftAssertions.assertSoftly(softly -> {
        softly.assertThat(run.kills()).as("SIGKILLs during the writes").isGreaterThanOrEqualTo(MIN_KILLS);
        softly.assertThat(service.killExits()).as("exit status of each killed life (137 = SIGKILL, anything else = "
            + "it had died by itself)").containsOnly(ServiceJvm.SIGKILL_EXIT);
        softly.assertThat(audit.missing()).as("expected events never delivered").isEmpty();
        softly.assertThat(audit.unexpected()).as("delivered events a crash-free run does not produce").isEmpty();
        softly.assertThat(audit.wrongBodies()).as("deliveries whose headers or body differ from the expected event")
            .isEmpty();
        softly.assertThat(audit.badSignatures()).as("deliveries whose signature does not verify").isEmpty();
        softly.assertThat(expected).as("the input produces events on every trigger")
            .extractingFromEntries(entry -> entry.getValue().trigger()).containsAll(secrets.keySet());
        softly.assertThat((double) audit.resentLongAfterTheirAnswer(service.starts(), ANSWERED_BEFORE_KILL)
            / Math.max(1, run.kills())).as("re-sends per kill of events answered more than "
            + ANSWERED_BEFORE_KILL.toMillis() + " ms before the kill").isLessThanOrEqualTo(MAX_LATE_RESENDS_PER_KILL);
        Duration resend = audit.latestResendAfterRestart(service.starts());
        if (resend != null) {
          softly.assertThat(resend).as("latest re-send of an event after a restart")
              .isLessThanOrEqualTo(MAX_RESEND_AFTER_RESTART);
        }
      });
    } finally {
      service.destroy();
      writerThread.shutdownNow();
      // Vert.x closes both with the test's instance anyway; waiting here only keeps the order tidy
      receiver.stop().eventually(() -> emulator.stop()).toCompletionStage().toCompletableFuture()
          .exceptionally(failure -> null).get(10, TimeUnit.SECONDS);
    }
  }

  /** What happened while writing: the changes made, how many kills, when the last kill and the last write were. */
  private record ChaosRun(List<PositionChange> changes, int kills, long lastKillNanos, long writtenNanos) {

    long lastWrite() {
      return changes.get(changes.size() - 1).mzTimestamp();
    }
  }

  /**
   * Runs the writer on its own thread; meanwhile, after a seeded random 1 to 2.5 s of each life, SIGKILLs the service
   * and starts it again at once, until the writer is done.
   */
  private static ChaosRun writeWhileKilling(MaterializeEmulator emulator, ServiceJvm service,
                                            ExecutorService writerThread) throws Exception {
    java.util.concurrent.Future<List<PositionChange>> writing =
        writerThread.submit(new PositionsWriter(emulator, SEED, KEYS, CHANGES, WRITING));
    Random chaos = new Random(SEED + 1);
    int kills = 0;
    long lastKill = System.nanoTime();
    while (true) {
      try {
        List<PositionChange> changes = writing.get(MIN_KILL_GAP_MS
            + chaos.nextInt(MAX_KILL_GAP_MS - MIN_KILL_GAP_MS + 1), TimeUnit.MILLISECONDS);
        return new ChaosRun(changes, kills, lastKill, System.nanoTime());
      } catch (TimeoutException stillWriting) {
        service.kill();
        kills++;
        lastKill = System.nanoTime();
        service.start();
      }
    }
  }

  private static void report(ChaosRun run, ServiceJvm service, Map<String, ExpectedEvent> expected,
                             DeliveryAudit audit, long catchUpMs, long beganNanos) {
    System.out.printf("crash test [seed: %d, changes: %d, kills: %d, lives: %d, lives killed while evaluating: %d, "
            + "expected events: %d %s, deliveries: %d, distinct: %d, duplicates: %d, duplicates per kill: %.1f, "
            + "re-sent although answered more than %d ms before the kill: %d, "
            + "shortest redelivery: %s, latest re-send after a restart: %s, catch-up after the writes: %d ms, "
            + "total: %d s, ERROR/WARN lines in service logs: %d/%d]%n",
        SEED, run.changes().size(), run.kills(), service.lives(), service.killedLivesThatLogged("trigger evaluating"),
        expected.size(), countByType(expected), audit.deliveries(), audit.distinct(), audit.duplicates(),
        (double) audit.duplicates() / Math.max(1, run.kills()), ANSWERED_BEFORE_KILL.toMillis(),
        audit.resentLongAfterTheirAnswer(service.starts(), ANSWERED_BEFORE_KILL), audit.shortestRedelivery(),
        audit.latestResendAfterRestart(service.starts()), catchUpMs,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - beganNanos), service.linesContaining(" ERROR "),
        service.linesContaining(" WARN "));
  }

  private static void awaitTriggersActive(ServiceJvm service, AdminProbe admin) throws Exception {
    long deadline = System.nanoTime() + FIRST_START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(service.isAlive()).as("first life exited early:\n" + service.tail(40)).isTrue();
      if (admin.ready() && RULES.stream().allMatch(rule -> admin.triggerStatus(rule.name())
          .filter("active"::equals).isPresent())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("triggers not active within " + FIRST_START_LIMIT + ":\n" + service.tail(40));
  }

  /**
   * Polls until the source has passed {@code lastWrite} and no trigger has a pending event, seen {@value QUIET_POLLS}
   * times in a row half a second apart (so a batch between hand-over and commit cannot slip through).
   */
  private static void awaitQuiet(ServiceJvm service, AdminProbe admin, long lastWrite, long deadlineNanos)
      throws Exception {
    int quiet = 0;
    while (System.nanoTime() < deadlineNanos) {
      assertThat(service.isAlive()).as("last life exited by itself:\n" + service.tail(40)).isTrue();
      boolean caughtUp = admin.sourceFrontier(SOURCE).filter(frontier -> frontier > lastWrite).isPresent()
          && RULES.stream().allMatch(rule -> admin.eventCount(rule.name(), "pending", 1).filter(n -> n == 0)
          .isPresent());
      quiet = caughtUp ? quiet + 1 : 0;
      if (quiet >= QUIET_POLLS) {
        return;
      }
      Thread.sleep(caughtUp ? 500 : 100);
    }
    System.out.println("catch-up deadline passed; pending per trigger: " + RULES.stream()
        .map(rule -> rule.name() + "=" + admin.eventCount(rule.name(), "pending", 500).orElse(-1)).toList()
        + ", source frontier: " + admin.sourceFrontier(SOURCE).orElse(-1L) + ", last write: " + lastWrite);
  }

  private static Map<String, Long> countByType(Map<String, ExpectedEvent> expected) {
    return expected.values().stream()
        .collect(Collectors.groupingBy(event -> event.trigger() + "/" + event.eventType(), TreeMap::new,
            Collectors.counting()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
