package io.tycostream.triggers.app;

import io.tycostream.triggers.admin.AdminVerticle;
import io.tycostream.triggers.admin.ConfiguredTriggers;
import io.tycostream.triggers.cluster.ClusterNode;
import io.tycostream.triggers.cluster.MembershipView;
import io.tycostream.triggers.cluster.OwnedSources;
import io.tycostream.triggers.cluster.SourceHeldElsewhere;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.alert.AlertsVerticle;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.delivery.AlertDeliveryVerticle;
import io.tycostream.triggers.delivery.AlertEndpoint;
import io.tycostream.triggers.delivery.DeliveryOptions;
import io.tycostream.triggers.delivery.DeliveryVerticle;
import io.tycostream.triggers.metrics.ServiceMetrics;
import io.tycostream.triggers.source.SourceProgress;
import io.tycostream.triggers.store.SourceOwner;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.unit.SourceUnit;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wires the service: opens the store (SQLite in {@code data_dir}, or PostgreSQL; migrated), deploys delivery, then one
 * {@link SourceUnit} per configured source (its reader and the evaluation of its triggers, started in parallel and
 * joined with {@link Future#all}), then the admin HTTP server, and only then reports ready; configured triggers are
 * then created in the background. {@link #stop()} stops the admin server and the units first (their commits drain),
 * then delivery (its attempts drain), then closes the store. With {@link ComponentOptions}, the only place that picks
 * implementations. Every component records into one {@link ServiceMetrics}, which the admin server renders at
 * {@code GET /metrics}.
 * <p>
 * Call {@link #start()} once, then {@link #stop()} at most once; both may be called from any thread.
 */
public final class TriggersApplication {

  /** How long a configured trigger waits for its source to report a schema before it is given up (logged). */
  static final Duration CONFIGURED_TRIGGERS_PATIENCE = Duration.ofMinutes(10);
  /** How often a cluster node re-checks that it runs the sources assigned to it. */
  static final long REAPPLY_MS = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(TriggersApplication.class);

  private final Vertx vertx;
  private final TriggersConfig config;
  private final DeliveryOptions deliveryOptions;
  private final Deque<String> deployments = new ArrayDeque<>();
  private final List<SourceUnit> units = new ArrayList<>();
  private volatile boolean ready;
  private volatile AdminVerticle admin;
  private volatile Store store;
  /** The cluster this node belongs to, or {@code null} on a single node. */
  private final ClusterNode cluster;
  /** This node's id: the owner recorded for the sources it runs (and, in a cluster, its claimer id). */
  private final String nodeId;
  /** In a cluster: the sources this node runs, following membership. */
  private volatile OwnedSources owned;
  private final Map<String, SourceUnit> clusterUnits = new ConcurrentHashMap<>();
  private volatile long reapplyTimer = -1;
  /** The meters {@code /metrics} renders; recording nothing when {@code metrics.enabled} is false. */
  private final ServiceMetrics metrics;
  /** Whether {@link #metrics} were made here, and are closed by {@link #stop()}. */
  private final boolean ownsMetrics;
  private volatile TriggerLevelSampler levelSampler;

  /**
   * A single node.
   *
   * @throws io.tycostream.triggers.config.ConfigException when the configuration does not fit a component's limits
   */
  public TriggersApplication(Vertx vertx, TriggersConfig config) {
    this(vertx, config, null);
  }

  /**
   * One node of a cluster ({@code cluster.enabled}): {@code vertx} is the cluster node's; the sources run where the
   * membership assigns them, delivery claims on every node, and the admin API serves everything on every node.
   *
   * @param cluster the started cluster node, or {@code null} for a single node
   */
  public TriggersApplication(Vertx vertx, TriggersConfig config, ClusterNode cluster) {
    this(vertx, config, cluster, config.metrics().enabled() ? ServiceMetrics.prometheus() : ServiceMetrics.disabled(),
        true);
  }

  /**
   * As {@link #TriggersApplication(Vertx, TriggersConfig, ClusterNode)}, recording into {@code metrics} (which
   * {@code vertx} may record its own meters into too, see {@link ServiceMetrics#vertxMetricsFactory()}).
   */
  public TriggersApplication(Vertx vertx, TriggersConfig config, ClusterNode cluster, ServiceMetrics metrics) {
    this(vertx, config, cluster, metrics, false);
  }

  private TriggersApplication(Vertx vertx, TriggersConfig config, ClusterNode cluster, ServiceMetrics metrics,
                              boolean ownsMetrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.ownsMetrics = ownsMetrics;
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
    this.cluster = cluster;
    ComponentOptions.check(config);
    this.nodeId = cluster != null ? cluster.nodeId()
        : ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.deliveryOptions = ComponentOptions.delivery(config.delivery());
    if (config.delivery().allowPrivateTargets()) {
      LOG.warn("delivery.allow_private_targets is deprecated: every loopback, private and link-local target is "
          + "allowed; list the ones webhooks may reach in delivery.allowed_targets instead");
    }
    if (cluster != null) {
      deliveryOptions.setClusterClaimer(cluster.nodeId());
    }
  }

  /** The delivery options built from the configuration; tests may tune them (retry policy) before {@link #start()}. */
  DeliveryOptions deliveryOptions() {
    return deliveryOptions;
  }

  /** This node's id, as recorded for the sources it runs and shown by {@code GET /api/v1/cluster}. */
  public String nodeId() {
    return nodeId;
  }

  /** In a cluster, the sources whose units run on this node now; on a single node, every configured source. */
  public Set<String> runningSources() {
    OwnedSources current = owned;
    return current != null ? current.running() : Set.copyOf(config.sourceNames());
  }

  /** Deploys everything; completes once every verticle started. On failure, what was deployed is undeployed. */
  public Future<Void> start() {
    return openStore()
        .compose(opened -> deployDelivery())
        .compose(deployed -> deployAlerts())
        .compose(deployed -> startUnits())
        .compose(deployed -> deployAdmin())
        .onSuccess(deployed -> ensureConfiguredTriggers())
        .onSuccess(deployed -> sampleTriggerLevels())
        .<Void>mapEmpty()
        .onSuccess(started -> ready = true)
        .recover(failure -> stop().transform(stopped -> Future.failedFuture(failure)));
  }

  /**
   * Stops the units first (their readers stop, their commits drain), then delivery (its attempts drain), then the
   * admin server (last, so the demo receiver still answers the drained attempts), then closes the store; readiness
   * turns false first.
   */
  public Future<Void> stop() {
    ready = false;
    Future<Void> chain;
    TriggerLevelSampler sampler = levelSampler;
    if (sampler != null) {
      sampler.stop();
    }
    if (reapplyTimer != -1) {
      vertx.cancelTimer(reapplyTimer);
    }
    OwnedSources clustered = owned;
    synchronized (deployments) {
      List<SourceUnit> running = List.copyOf(units);
      units.clear();
      chain = Future.all(running.stream().map(SourceUnit::stop).toList()).mapEmpty();
      if (clustered != null) {
        chain = chain.compose(stopped -> clustered.close());
      }
      while (!deployments.isEmpty()) {
        String id = deployments.removeLast();
        chain = chain.compose(previous -> undeploy(id));
      }
    }
    return chain.compose(undeployed -> closeStore()).onComplete(closed -> {
      if (ownsMetrics) {
        metrics.close();
      }
    });
  }

  private Future<Void> undeploy(String id) {
    return vertx.undeploy(id).recover(failure -> {
      LOG.warn("undeploy failed [deployment: {}, cause: {}]", id, failure.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> closeStore() {
    Store opened = store;
    store = null;
    return opened == null ? Future.succeededFuture() : opened.close()
        .recover(failure -> {
          LOG.warn("closing the store failed [cause: {}]", failure.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Whether every verticle has started and {@link #stop()} was not called. */
  public boolean isReady() {
    return ready;
  }

  /** The port the admin server listens on, or -1 before it started. */
  public int adminPort() {
    AdminVerticle current = admin;
    return current == null ? -1 : current.actualPort();
  }

  private Future<Void> openStore() {
    return StoreOpener.open(vertx, config).onSuccess(opened -> store = opened).mapEmpty();
  }

  private Future<String> deployDelivery() {
    return deploy(new DeliveryVerticle(store, deliveryOptions, metrics.delivery()), "delivery");
  }

  /** With metrics on: the per-trigger levels only the store knows, read in the background. */
  private void sampleTriggerLevels() {
    if (!metrics.enabled()) {
      return;
    }
    TriggerLevelSampler sampler = new TriggerLevelSampler(vertx, store, metrics, config.metrics().storeSampleMs());
    levelSampler = sampler;
    sampler.start();
  }

  /** The meters this application records into (rendered at {@code GET /metrics}). */
  public ServiceMetrics metrics() {
    return metrics;
  }

  /**
   * The alert sender, then the alerts, before the units so they see every source state from the first. Deployed also
   * without configured alert endpoints, since any trigger may be given an {@code alert_url} at run time; idle, they
   * cost one indexed outbox query per poll interval and a local breaker read per second.
   */
  private Future<Void> deployAlerts() {
    List<AlertEndpoint> endpoints = config.alerts().stream()
        .map(alert -> new AlertEndpoint(alert.name(), WebhookTarget.parse(alert.url()),
            WebhookSecret.parse(alert.secret())))
        .toList();
    return deploy(new AlertDeliveryVerticle(store, deliveryOptions, endpoints), "alert delivery")
        .compose(deployed -> deploy(new AlertsVerticle(store, config.alerts()), "alerts"))
        .mapEmpty();
  }

  /**
   * Creates the triggers declared in the configuration (the demo) that do not exist yet, in the background: their
   * conditions can only be checked once their source reported its schema, and a source that is down at start-up
   * must not keep the service from serving the others. A trigger that cannot be created is logged as an error.
   */
  private void ensureConfiguredTriggers() {
    if (config.triggers().isEmpty()) {
      return;
    }
    new ConfiguredTriggers(vertx, store, config.sourceNames(), config.delivery().targetPolicy(),
        CONFIGURED_TRIGGERS_PATIENCE)
        .withRetryDefaults(deliveryOptions.retryDefaults())
        .withClientCertificates(config.delivery().tls().clientCertificateNames())
        .ensure(config.triggers())
        .onFailure(failure -> LOG.error("configured trigger not created [cause: {}]", failure.getMessage()));
  }

  private Future<Void> startUnits() {
    if (cluster != null) {
      startFollowingMembership();
      return Future.succeededFuture();
    }
    List<Future<Void>> started = new ArrayList<>();
    for (SourceConfig source : config.sources()) {
      SourceProgress progress = new SourceProgress(source.name(), ComponentOptions.readinessGrace(config),
          Clock.systemUTC(), metrics.source(source.name()), source.type() == SourceType.MATERIALIZE);
      SourceUnit unit = new SourceUnit(vertx, source.name(), ComponentOptions.changeSource(source), store, progress,
          nodeId);
      synchronized (deployments) {
        units.add(unit);
      }
      started.add(unit.start().recover(failure -> Future.failedFuture(new IllegalStateException(
          "starting source " + source.name() + " failed: " + failure.getMessage(), failure))));
    }
    return Future.all(started).mapEmpty();
  }

  /**
   * In a cluster: runs the units of the sources the membership assigns to this node, re-checked on every change and
   * every {@value #REAPPLY_MS} ms (a failed start, a unit fenced away); releases the claims of nodes that left.
   */
  private void startFollowingMembership() {
    int configuredMembers = config.cluster().members().size();
    // a majority of the configured members from three on; fewer cannot tell a partition from a death
    int quorum = configuredMembers >= 3 ? configuredMembers / 2 + 1 : 1;
    OwnedSources sources = new OwnedSources(config.sourceNames(), quorum, this::startClusterUnit,
        this::stopClusterUnit);
    owned = sources;
    Context context = vertx.getOrCreateContext();
    context.runOnContext(on -> {
      cluster.onMembershipChange(view -> {
        view.departed().ifPresent(left -> store.releaseClaimsOf(List.of(left.id()))
            .onSuccess(released -> LOG.info("node left the cluster, its claims released [node: {}, events: {}]",
                left.id(), released))
            .onFailure(failure -> LOG.warn("releasing the claims of a node that left failed, its leases will run "
                + "out [node: {}, cause: {}]", left.id(), failure.getMessage())));
        sources.apply(view);
      });
      reapplyTimer = vertx.setPeriodic(REAPPLY_MS, id -> sources.reapply());
    });
  }

  /**
   * Starts the unit of a source the membership assigns here, unless the store still records it as held by another
   * live member (which gives it up when it sees the same view): a take-over only takes a released source or one whose
   * owner left, so a node that was frozen and comes back with a stale view cannot take a source from the live owner.
   */
  private Future<Void> startClusterUnit(String source) {
    MembershipView view = cluster.members();
    return store.listSourceOwners().compose(owners -> {
      for (SourceOwner recorded : owners) {
        if (recorded.source().equals(source) && !recorded.owner().isEmpty() && !recorded.owner().equals(nodeId)
            && view.contains(recorded.owner())) {
          return Future.failedFuture(new SourceHeldElsewhere(source, recorded.owner()));
        }
      }
      return startAssignedUnit(source);
    });
  }

  private Future<Void> startAssignedUnit(String source) {
    SourceConfig sourceConfig = config.sources().stream().filter(s -> s.name().equals(source)).findFirst()
        .orElseThrow();
    SourceProgress progress = new SourceProgress(source, ComponentOptions.readinessGrace(config), Clock.systemUTC(),
        metrics.source(source), sourceConfig.type() == SourceType.MATERIALIZE);
    Context context = Vertx.currentContext();
    SourceUnit unit = new SourceUnit(vertx, source, ComponentOptions.changeSource(sourceConfig), store, progress,
        nodeId).whenFenced(() -> {
          clusterUnits.remove(source);
          context.runOnContext(on -> owned.unitStopped(source));
        });
    clusterUnits.put(source, unit);
    return unit.start().onFailure(failure -> clusterUnits.remove(source, unit));
  }

  private Future<Void> stopClusterUnit(String source) {
    SourceUnit unit = clusterUnits.remove(source);
    return unit == null ? Future.succeededFuture() : unit.stop();
  }

  private Future<String> deployAdmin() {
    AdminVerticle verticle = new AdminVerticle(config.admin(), config.sourceNames(), this::isReady, store,
        config.delivery().targetPolicy(), config.demoReceiver())
        .withNode(nodeId, cluster == null ? null : cluster::members)
        .withRetryDefaults(deliveryOptions.retryDefaults())
        .withClientCertificates(config.delivery().tls().clientCertificateNames())
        .withMetrics(metrics, config.metrics().requireAuth());
    return deploy(verticle, "admin").onSuccess(id -> admin = verticle);
  }

  private Future<String> deploy(Deployable verticle, String what) {
    return vertx.deployVerticle(verticle)
        .onSuccess(id -> {
          synchronized (deployments) {
            deployments.push(id);
          }
        })
        // logged once, by whoever handles the start-up failure
        .recover(failure -> Future.failedFuture(
            new IllegalStateException("deploying " + what + " failed: " + failure.getMessage(), failure)));
  }
}
