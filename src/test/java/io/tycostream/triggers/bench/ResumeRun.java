package io.tycostream.triggers.bench;

import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Recovery after {@code kill -9}: the fat jar runs in a child JVM ({@link ServiceProcess}) against the in-process
 * emulator and a receiver that holds every answer {@link SuiteSettings#resumeAnswerDelayMs}, so requests are in
 * flight at any moment. While a writer streams {@link SuiteSettings#resumeRate} changes/s (one trigger, one event
 * per change), the child is SIGKILLed after {@link SuiteSettings#resumeKillAfterSeconds} and started again at once on
 * the same data directory. It measures:
 * <ul>
 *   <li>{@code resume_ms}: from the new process's fork to the first request that reaches the receiver (JVM start,
 *       store open, resubscribe, evaluation and delivery all included);</li>
 *   <li>{@code dup_delay_ms_max}: the latest arrival, measured from the fork, of a re-sent event: one the receiver had
 *       seen before the kill (answered or still held).</li>
 * </ul>
 * The run waits, at most {@link SuiteSettings#resumeWaitSeconds}, until every event written arrived, every request held
 * at the kill was re-sent, and the API reports no pending event: after that no re-send can come.
 * <p>
 * Caveats: the emulator keeps 10 min of history, so the restart resumes {@code AS OF} its checkpoint (no re-snapshot);
 * the child shares the machine's two cores with this JVM. One kill per run.
 */
final class ResumeRun {

  static final String TRIGGER = "resume_above_100";
  private static final String SOURCE = "bench";
  private static final long EMULATOR_RETENTION_MS = 600_000;
  private static final Duration STEP = Duration.ofSeconds(60);
  /** How long the writer keeps writing after the restart, so the new life has fresh changes too. */
  private static final Duration WRITING_AFTER_RESTART = Duration.ofSeconds(4);
  private static final Duration FIRST_DELIVERY_BOUND = Duration.ofSeconds(60);
  private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(5);
  private static final long QUIET_POLL_MILLIS = 250;

  /**
   * @param resumeMs       fork to first arrival after the restart ({@code null}: none within the bound)
   * @param dupDelayMsMax  fork to the latest re-send of an event seen before the kill ({@code null}: a request held
   *                       at the kill was never re-sent within the bound)
   * @param heldAtKill     requests the receiver held unanswered at the kill
   * @param seenBeforeKill distinct events received before the kill
   * @param resent         of those, how many arrived again after the restart
   * @param missing        events written but never received
   * @param quiet          whether the end condition was reached within the bound
   */
  record Result(Double resumeMs, Double dupDelayMsMax, int heldAtKill, int seenBeforeKill, int resent, int missing,
                int killExit, boolean quiet, String pendingCheck) {

    JsonObject json() {
      return new JsonObject()
          .put("resume_ms", Figures.round(resumeMs))
          .put("dup_delay_ms_max", Figures.round(dupDelayMsMax))
          .put("held_unanswered_at_kill", heldAtKill)
          .put("seen_before_kill", seenBeforeKill)
          .put("resent_after_restart", resent)
          .put("missing", missing)
          .put("kill_exit_status", killExit)
          .put("all_resent_within_bound", quiet)
          .put("pending_check", pendingCheck);
    }

    @Override
    public String toString() {
      return String.format("resume: first delivery %s ms after the restart; latest re-send %s ms after it; %d held"
              + " at the kill, %d seen before it, %d re-sent, %d missing, kill exit %d, settled %s (%s)",
          Figures.text(resumeMs), Figures.text(dupDelayMsMax), heldAtKill, seenBeforeKill, resent, missing, killExit,
          quiet, pendingCheck);
    }
  }

  private final Vertx vertx;
  private final SuiteSettings settings;
  private final Path logDir;

  ResumeRun(Vertx vertx, SuiteSettings settings, Path logDir) {
    this.vertx = vertx;
    this.settings = settings;
    this.logDir = logDir;
  }

  Result run() throws Exception {
    if (!Files.isRegularFile(settings.fatJar())) {
      throw new IllegalStateException("no fat jar at " + settings.fatJar().toAbsolutePath()
          + " (mvn -B -P benchmark verify packages it first)");
    }
    MaterializeEmulator emulator = Await.result(MaterializeEmulator.start(vertx, new EmulatorOptions()
        .setTickMs(settings.emulatorTickMs()).setRetentionMs(EMULATOR_RETENTION_MS)), STEP, "starting the emulator");
    ArrivalRecorder receiver = Await.result(ArrivalRecorder.start(vertx, settings.resumeAnswerDelayMs()), STEP,
        "starting the receiver");
    Path workDir = Files.createTempDirectory("tycostream-bench-resume-");
    ExecutorService writerThread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable,
        "benchmark-resume-writer"));
    ServiceProcess service = null;
    AdminClient admin = null;
    try {
      ChangeDriver driver = new ChangeDriver(emulator, settings.keys(), List.of(TRIGGER), settings.noteLength());
      driver.createView();
      int adminPort = freePort();
      Path config = workDir.resolve("config.yaml");
      Files.writeString(config, new ServiceConfigYaml(workDir.resolve("data"), adminPort, SOURCE, emulator.port(),
          settings.inFlight(), List.of(BenchTrigger.threshold(TRIGGER, SOURCE, receiver.url("/hooks/" + TRIGGER))))
          .text(), StandardCharsets.UTF_8);
      service = new ServiceProcess(settings.fatJar(), config, workDir, logDir, jvmArgs());
      admin = new AdminClient(vertx, adminPort);
      service.start();
      awaitActive(service, admin);
      return killAndRestart(service, admin, driver, receiver, writerThread);
    } finally {
      writerThread.shutdownNow();
      if (admin != null) {
        admin.close();
      }
      if (service != null) {
        service.close();
      }
      Await.result(receiver.stop().eventually(emulator::stop), STEP, "stopping the emulator and receiver");
    }
  }

  private Result killAndRestart(ServiceProcess service, AdminClient admin, ChangeDriver driver,
                                ArrivalRecorder receiver, ExecutorService writerThread) throws Exception {
    Duration writing = Duration.ofSeconds(settings.resumeKillAfterSeconds()).plus(WRITING_AFTER_RESTART);
    java.util.concurrent.Future<ChangeDriver.Driven> written = writerThread.submit(() ->
        driver.drive(ChangeDriver.Load.paced(settings.resumeRate(), 1, writing)));
    TimeUnit.SECONDS.sleep(settings.resumeKillAfterSeconds());
    Await.until(() -> !receiver.unansweredIds().isEmpty(), IN_FLIGHT_WAIT);
    Set<String> held = receiver.unansweredIds();
    int killExit = service.kill();
    Set<String> seen = receiver.receivedIds();
    receiver.mark(System.nanoTime());
    long restart = service.start();
    boolean delivered = Await.until(() -> receiver.firstArrivalSinceMark() != null || !service.isAlive(),
        FIRST_DELIVERY_BOUND);
    Long first = receiver.firstArrivalSinceMark();
    if (!service.isAlive()) {
      throw new IllegalStateException("the restarted service exited:\n" + service.tail(30));
    }
    Double resumeMs = delivered && first != null ? (first - restart) / 1e6 : null;

    ChangeDriver.Driven driven = written.get(writing.toSeconds() + STEP.toSeconds(), TimeUnit.SECONDS);
    AtomicReference<String> pendingCheck = new AtomicReference<>("not reached");
    boolean quiet = Await.until(() -> settled(driven, held, receiver, restart, admin, pendingCheck),
        Duration.ofSeconds(settings.resumeWaitSeconds()));

    List<Long> resends = new ArrayList<>();
    for (String id : seen) {
      Long last = receiver.lastArrivalNanos(id);
      if (last != null && last >= restart) {
        resends.add(last - restart);
      }
    }
    boolean heldAllResent = held.stream().allMatch(id -> receiver.lastArrivalNanos(id) >= restart);
    Double dupDelay = heldAllResent ? resends.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6 : null;
    int missing = (int) driven.expected().keySet().stream().filter(id -> receiver.arrivalNanos(id) == null).count();
    Result result = new Result(resumeMs, dupDelay, held.size(), seen.size(), resends.size(), missing, killExit, quiet,
        pendingCheck.get());
    System.out.println("  " + result);
    return result;
  }

  /** Every written event arrived, every held request came again, and the API has nothing pending. */
  private static boolean settled(ChangeDriver.Driven driven, Set<String> held, ArrivalRecorder receiver,
                                 long restartNanos, AdminClient admin, AtomicReference<String> pendingCheck) {
    if (!driven.expected().keySet().stream().allMatch(id -> receiver.arrivalNanos(id) != null)
        || !held.stream().allMatch(id -> receiver.lastArrivalNanos(id) >= restartNanos)) {
      Await.sleep(QUIET_POLL_MILLIS);
      return false;
    }
    try {
      int pending = Await.result(admin.pendingEvents(TRIGGER, 1), STEP, "reading pending events");
      pendingCheck.set(pending == 0 ? "no pending event" : "events pending");
      if (pending > 0) {
        Await.sleep(QUIET_POLL_MILLIS);
      }
      return pending == 0;
    } catch (IllegalStateException apiChanged) {
      // the events API no longer answers this way: the arrivals alone decide
      pendingCheck.set("pending events unreadable: " + apiChanged.getMessage());
      return true;
    }
  }

  private void awaitActive(ServiceProcess service, AdminClient admin) {
    boolean active = Await.until(() -> {
      if (!service.isAlive()) {
        throw new IllegalStateException("the service exited at start-up:\n" + service.tail(30));
      }
      try {
        return AdminClient.ACTIVE.equals(Await.result(admin.status(TRIGGER), STEP, "reading the trigger"));
      } catch (IllegalStateException notYet) {
        return false;
      }
    }, STEP);
    if (!active) {
      throw new IllegalStateException("trigger " + TRIGGER + " not active after " + STEP.toSeconds() + " s:\n"
          + service.tail(30));
    }
  }

  private List<String> jvmArgs() {
    String args = settings.serviceJvmArgs().strip();
    return args.isEmpty() ? List.of() : Arrays.asList(args.split("\\s+"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
