package io.tycostream.triggers.bench;

import io.tycostream.triggers.app.ComponentOptions;
import io.tycostream.triggers.app.TriggersApplication;
import io.tycostream.triggers.cluster.ClusterNode;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.store.postgres.EmbeddedPostgresServer;
import io.tycostream.triggers.testkit.LoopbackPorts;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import java.util.ArrayList;
import java.util.stream.Collectors;
import io.tycostream.triggers.config.ConfigLoader;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One in-process pipeline for one benchmark run: a fresh wire emulator with the view {@value ChangeDriver#VIEW}, a
 * fresh {@link ArrivalRecorder}, and {@link TriggersApplication} started from a YAML configuration on a fresh SQLite
 * data directory, its triggers active before the run writes. The emulator and the receiver stand for other processes
 * (Materialize, the webhook endpoints), so they run on their own Vert.x instance: sharing the service's event loops
 * would make the service's reader, Materialize and the receiver take turns on one thread, which no deployment does.
 * Every run gets its own, so a backlog left by one run cannot slow the next; the JIT stays warm because the JVM does.
 * <p>
 * Driven from the benchmark thread (it blocks); {@link #close()} stops everything and deletes the data directory.
 */
final class PipelineRig implements AutoCloseable {

  static final String SOURCE = "bench";
  /** Bound on each start-up and shut-down step. */
  private static final Duration STEP = Duration.ofSeconds(60);
  /** Bound on the configured triggers becoming active. */
  private static final Duration ACTIVATION = Duration.ofSeconds(60);

  private final Vertx vertx;
  /** The emulator's and the receiver's Vert.x: the world outside the service. */
  private final Vertx outside;
  private final MaterializeEmulator emulator;
  private final ArrivalRecorder receiver;
  private final ChangeDriver driver;
  private final Path dataDir;
  private final Topology topology;
  private final List<TriggersApplication> applications = new ArrayList<>();
  private final List<ClusterNode> clusterNodes = new ArrayList<>();
  /** Admin clients of the cluster's nodes by admin port, to read the owner's committed frontier. */
  private final Map<Integer, AdminClient> nodeAdmins = new HashMap<>();
  private TriggersApplication application;
  private AdminClient admin;

  /**
   * Where the service keeps its state and how many nodes run it: one node on SQLite (the default), or {@code nodes}
   * nodes on a PostgreSQL database, clustered over Hazelcast on loopback when more than one.
   */
  record Topology(int nodes, PgConnectOptions postgres) {

    static final Topology SINGLE_SQLITE = new Topology(1, null);

    /** {@code nodes} service nodes on a fresh database of the embedded PostgreSQL. */
    static Topology onPostgres(int nodes) {
      return new Topology(nodes, EmbeddedPostgresServer.newDatabase());
    }
  }

  private PipelineRig(Vertx vertx, Vertx outside, MaterializeEmulator emulator, ArrivalRecorder receiver,
                      ChangeDriver driver, Path dataDir, Topology topology) {
    this.topology = topology;
    this.vertx = vertx;
    this.outside = outside;
    this.emulator = emulator;
    this.receiver = receiver;
    this.driver = driver;
    this.dataDir = dataDir;
  }

  /**
   * Starts the pipeline with {@code keys} keys and one configured {@link BenchTrigger#threshold} trigger per name in
   * {@code thresholdTriggers}, and waits until they are active; {@code keyTriggers} says which triggers each key
   * change reaches (including any the run creates over the API later).
   */
  static PipelineRig start(Vertx vertx, SuiteSettings settings, int keys, KeyTriggers keyTriggers,
                           List<String> thresholdTriggers) throws IOException {
    return start(vertx, settings, keys, keyTriggers, thresholdTriggers, BenchTrigger::threshold, true);
  }

  /**
   * As {@link #start(Vertx, SuiteSettings, int, KeyTriggers, List)} with configured triggers of any kind
   * ({@code kind} makes each from its name, the source and its hook URL); with {@code populated} false the view starts
   * empty and the run calls {@link ChangeDriver#populate()} itself (a trigger created over the API then baselines on
   * an empty snapshot).
   */
  static PipelineRig start(Vertx vertx, SuiteSettings settings, int keys, KeyTriggers keyTriggers,
                           List<String> configured, BenchTrigger.Kind kind, boolean populated) throws IOException {
    return start(vertx, settings, keys, keyTriggers, configured, kind, populated, Topology.SINGLE_SQLITE);
  }

  /** As above, on the given {@link Topology}. */
  static PipelineRig start(Vertx vertx, SuiteSettings settings, int keys, KeyTriggers keyTriggers,
                           List<String> configured, BenchTrigger.Kind kind, boolean populated, Topology topology)
      throws IOException {
    Vertx outside = Vertx.vertx();
    MaterializeEmulator emulator = Await.result(MaterializeEmulator.start(outside,
        new EmulatorOptions().setTickMs(settings.emulatorTickMs()).setRetentionMs(Long.getLong(
            "bench.emulatorRetentionMs", EmulatorOptions.DEFAULT_RETENTION_MS))), STEP, "starting the emulator");
    ChangeDriver driver = new ChangeDriver(emulator, keys, keyTriggers, settings.noteLength());
    if (populated) {
      driver.createView();
    } else {
      driver.createEmptyView();
    }
    ArrivalRecorder receiver = Await.result(ArrivalRecorder.start(outside), STEP, "starting the receiver");
    PipelineRig rig = new PipelineRig(vertx, outside, emulator, receiver, driver,
        Files.createTempDirectory("tycostream-bench-"), topology);
    try {
      rig.startService(settings.inFlight(), configured.stream()
          .map(name -> kind.of(name, SOURCE, rig.hookUrl(name))).toList());
      for (String name : configured) {
        rig.awaitActive(name);
      }
      return rig;
    } catch (RuntimeException e) {
      rig.close();
      throw e;
    }
  }

  private void startService(int maxInFlight, List<BenchTrigger> triggers) {
    String yaml = new ServiceConfigYaml(dataDir, 0, SOURCE, emulator.port(), maxInFlight, triggers).text();
    if (topology.postgres() == null) {
      application = new TriggersApplication(vertx, ConfigLoader.load(yaml, "benchmark.yaml", Map.of()));
      applications.add(application);
      Await.result(application.start(), STEP, "starting the service");
    } else {
      startNodes(yaml);
    }
    admin = new AdminClient(vertx, application.adminPort());
  }

  /** The service on PostgreSQL: one node, or a cluster of {@code topology.nodes()} in this JVM. */
  private void startNodes(String baseYaml) {
    PgConnectOptions pg = topology.postgres();
    String store = "store:\n  type: postgres\n  postgres: { host: 127.0.0.1, port: " + pg.getPort() + ", database: "
        + pg.getDatabase() + ", user: " + pg.getUser() + ", ssl_mode: disable, pool_size: 8 }\n";
    if (topology.nodes() == 1) {
      application = new TriggersApplication(vertx, ConfigLoader.load(baseYaml + store, "benchmark.yaml", Map.of()));
      applications.add(application);
      Await.result(application.start(), STEP, "starting the service");
      return;
    }
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < topology.nodes(); i++) {
      ports.add(LoopbackPorts.free());
    }
    String members = ports.stream().map(port -> "\"127.0.0.1:" + port + "\"").collect(Collectors.joining(", "));
    String name = "bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    for (int port : ports) {
      String cluster = "cluster: { enabled: true, name: " + name + ", host: 127.0.0.1, port: " + port
          + ", members: [" + members + "] }\n";
      TriggersConfig config = ConfigLoader.load(baseYaml + store + cluster, "benchmark.yaml", Map.of());
      ClusterNode node = Await.result(ClusterNode.start(new VertxOptions(), ComponentOptions.cluster(config)), STEP,
          "starting a cluster node");
      clusterNodes.add(node);
      TriggersApplication started = new TriggersApplication(node.vertx(), config, node);
      applications.add(started);
      Await.result(started.start(), STEP, "starting the service on a cluster node");
    }
    application = applications.get(0);
    boolean formed = Await.until(() -> clusterNodes.stream().allMatch(node -> node.members().size() == ports.size())
        && applications.stream().filter(node -> node.runningSources().contains(SOURCE)).count() == 1, ACTIVATION);
    if (!formed) {
      throw new IllegalStateException("the cluster did not form with one owner of " + SOURCE);
    }
    // the owner may be the node that joined last, taking the source over while it starts: with the emulator's 1 s of
    // history (Materialize's default compaction window) a slow take-over finds it compacted and reconciles against a
    // fresh snapshot, summarising what changed meanwhile as a gap does; changes written before it subscribed would
    // fall into that gap, so the run writes only once the owner committed past the moment the cluster formed
    long formedAt = emulator.now();
    if (!Await.until(() -> ownerCommittedPast(formedAt), ACTIVATION)) {
      throw new IllegalStateException("the owner of " + SOURCE + " did not commit past " + formedAt + " within "
          + ACTIVATION.toSeconds() + " s");
    }
  }

  private boolean ownerCommittedPast(long timestamp) {
    List<TriggersApplication> owners = applications.stream()
        .filter(node -> node.runningSources().contains(SOURCE)).toList();
    if (owners.size() != 1) {
      return false;
    }
    return committedPast(nodeAdmins.computeIfAbsent(owners.get(0).adminPort(), port -> new AdminClient(vertx, port)),
        timestamp);
  }

  /** Whether the node {@code admin} talks to reports a commit of {@link #SOURCE} past {@code timestamp}. */
  static boolean committedPast(AdminClient admin, long timestamp) {
    try {
      return Await.result(admin.committedFrontier(SOURCE), STEP, "reading the committed frontier") > timestamp;
    } catch (IllegalStateException notAnswering) {
      return false;
    }
  }

  private void awaitActive(String trigger) {
    boolean active = Await.until(() -> AdminClient.ACTIVE.equals(statusOrNull(trigger)), ACTIVATION);
    if (!active) {
      throw new IllegalStateException("trigger " + trigger + " not active after " + ACTIVATION.toSeconds() + " s");
    }
  }

  private String statusOrNull(String trigger) {
    try {
      return Await.result(admin.status(trigger), STEP, "reading trigger " + trigger);
    } catch (IllegalStateException notYetCreated) {
      return null;
    }
  }

  /** The receiver's URL for a trigger's webhooks. */
  String hookUrl(String trigger) {
    return receiver.url("/hooks/" + trigger);
  }

  ChangeDriver driver() {
    return driver;
  }

  ArrivalRecorder receiver() {
    return receiver;
  }

  AdminClient admin() {
    return admin;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    nodeAdmins.values().forEach(AdminClient::close);
    Future<Void> stopped = Future.join(applications.stream().map(TriggersApplication::stop).toList())
        .transform(done -> Future.join(clusterNodes.stream().map(ClusterNode::close).toList()))
        .mapEmpty();
    Await.result(stopped.eventually(receiver::stop).eventually(emulator::stop).eventually(outside::close), STEP,
        "stopping the pipeline");
    deleteQuietly(dataDir);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
