package io.tycostream.triggers.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clustered Vert.x instance on Hazelcast, with the cluster's membership as immutable {@link MembershipView}s.
 *
 * <p>Joining is explicit and local: TCP-IP join on the configured members (multicast and auto-detection off), on one
 * interface, with a fixed port (a taken port fails the start rather than silently moving to the next one, where no
 * other member would look for it). A member that stops sending heartbeats is declared gone after
 * {@link ClusterOptions#getMaxNoHeartbeatSeconds()}; one that closes or dies is noticed when its connection drops.
 *
 * <p>Threading: the methods may be called from any thread. Membership listeners run on the Vert.x context that
 * registered them (an event loop when registered from a verticle; a fresh event-loop context otherwise), never on a
 * Hazelcast thread, and each listener sees the views in the order Hazelcast reported the changes.
 *
 * <p>Vert.x registers its own Hazelcast membership listener (through the cluster manager's node-listener slot, which
 * it owns) to clean up event-bus subscriptions; this class adds its own beside it and never touches that slot.
 */
public final class ClusterNode {

  /** How often separated members look for each other to merge back into one cluster. */
  static final int MERGE_RUN_DELAY_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  /**
   * The member attribute where Vert.x's Hazelcast cluster manager publishes each node's Vert.x node id (a random UUID
   * of its own, not Hazelcast's member UUID); reading it makes a {@link MembershipView.Member#id()} equal the
   * {@link #nodeId()} of that node.
   */
  static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /**
   * How long a closing member waits for Hazelcast to hand its partitions over (Hazelcast's default is 600 s). The
   * maps hold only Vert.x's event-bus registrations, which the other members rebuild anyway, so a bounded close
   * matters more than a complete hand-over.
   */
  static final int GRACEFUL_SHUTDOWN_MAX_WAIT_SECONDS = 10;

  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;
  private final String address;
  private final List<Registration> listeners = new CopyOnWriteArrayList<>();
  private final Object viewLock = new Object();
  private MembershipView current;
  private volatile boolean closing;
  private Future<Void> closed;

  private record Registration(Context context, Consumer<MembershipView> listener) {
    void deliver(MembershipView view) {
      context.runOnContext(ignored -> listener.accept(view));
    }
  }

  private ClusterNode(Vertx vertx, HazelcastClusterManager clusterManager) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    Cluster cluster = clusterManager.getHazelcastInstance().getCluster();
    this.address = addressOf(cluster.getLocalMember());
    synchronized (viewLock) {
      cluster.addMembershipListener(new ViewUpdater());
      // read after the listener is in place, so no change falls between the first view and the first event
      current = viewOf(cluster.getMembers(), Optional.empty());
    }
  }

  /**
   * Starts a clustered Vert.x that joins (or forms) the cluster described by {@code clusterOptions}.
   *
   * @param vertxOptions the Vert.x settings (copied; the event bus binds to the cluster host unless it names one)
   * @param clusterOptions validated here
   * @return the node once it joined; failed with an {@link IllegalStateException} naming the cluster and address when
   *     Hazelcast or Vert.x could not start (a taken port, an address not on this host)
   * @throws IllegalArgumentException when {@code clusterOptions} is invalid
   */
  public static Future<ClusterNode> start(VertxOptions vertxOptions, ClusterOptions clusterOptions) {
    return start(vertxOptions, clusterOptions, null);
  }

  /**
   * As {@link #start(VertxOptions, ClusterOptions)}, with Vert.x recording its meters through {@code metrics} (when
   * {@code vertxOptions} enables metrics).
   *
   * @param metrics the metrics implementation, or {@code null} for Vert.x's default lookup
   */
  public static Future<ClusterNode> start(VertxOptions vertxOptions, ClusterOptions clusterOptions,
                                          VertxMetricsFactory metrics) {
    Objects.requireNonNull(vertxOptions, "vertxOptions");
    clusterOptions.validate();
    VertxOptions options = new VertxOptions(vertxOptions);
    if (options.getEventBusOptions().getHost() == null) {
      // the event bus connects node to node too; keep it on the interface the cluster was limited to
      options.getEventBusOptions().setHost(clusterOptions.getHost());
    }
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(hazelcastConfig(clusterOptions));
    VertxBuilder builder = Vertx.builder().with(options).withClusterManager(clusterManager);
    if (metrics != null) {
      builder.withMetrics(metrics);
    }
    return builder.buildClustered()
        .recover(failure -> Future.failedFuture(new IllegalStateException("cluster node did not start [cluster: "
            + clusterOptions.getClusterName() + ", address: " + clusterOptions.address() + "]: "
            + failure.getMessage(), failure)))
        .map(vertx -> new ClusterNode(vertx, clusterManager))
        .onSuccess(node -> LOG.info("joined cluster [cluster: {}, node: {}, address: {}, members: {}]",
            clusterOptions.getClusterName(), node.nodeId(), node.address(), node.members().size()));
  }

  /**
   * The Hazelcast configuration for these options, following the settings that proved reliable on loopback
   * (stack.md, "Hazelcast on loopback"). Package-private so a test can check it without starting anything.
   */
  static Config hazelcastConfig(ClusterOptions options) {
    // Vert.x's base keeps the map settings (backups of the subscription and node-info maps) it relies on
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(options.getClusterName());

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.getPort());
    // a taken port is a clear start-up error, not a member on a port nobody lists
    network.setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(options.getHost()));

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.of()).addMember(options.address());
    options.getMembers().forEach(member -> join.getTcpIpConfig().addMember(member));

    config.setProperty("hazelcast.phone.home.enabled", "false");
    // without this a second node waits ~8 s before it joins; the members are listed, there is nothing to wait for
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(ClusterOptions.HEARTBEAT_INTERVAL_SECONDS));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(options.getMaxNoHeartbeatSeconds()));
    // listen on the announced address only, not on every interface of the host
    // members that lost each other (a partition, or a frozen master they both stopped hearing from) form separate
    // clusters; Hazelcast merges them back only on its split-brain run, by default 300 s after start and every 120 s,
    // during which a minority runs no source (quorum): look every few seconds instead
    config.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(MERGE_RUN_DELAY_SECONDS));
    config.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(MERGE_RUN_DELAY_SECONDS));
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", String.valueOf(GRACEFUL_SHUTDOWN_MAX_WAIT_SECONDS));
    // the application's own shutdown hook closes the node; Hazelcast's would race it and fail Vert.x's leave
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    return config;
  }

  /** The clustered Vert.x instance; its lifecycle belongs to this node ({@link #close()}). */
  public Vertx vertx() {
    return vertx;
  }

  /** This node's Vert.x node id, the id other members see it under in their views. */
  public String nodeId() {
    return clusterManager.getNodeId();
  }

  /** This node's member address, {@code host:port}. */
  public String address() {
    return address;
  }

  /** The members as of the latest membership change this node processed, sorted by id. */
  public MembershipView members() {
    synchronized (viewLock) {
      return current;
    }
  }

  /**
   * Calls {@code listener} with the current view and then with a new view on every membership change, on the
   * calling thread's Vert.x context (a new event-loop context when called off Vert.x). Views may repeat (the current
   * view can already include a change whose event follows), which a listener that recomputes from
   * {@link MembershipView#members()} does not notice. Listeners live as long as the node.
   *
   * @return this
   */
  public ClusterNode onMembershipChange(Consumer<MembershipView> listener) {
    Registration registration = new Registration(vertx.getOrCreateContext(), Objects.requireNonNull(listener));
    synchronized (viewLock) {
      // under the lock: the current view is queued before any later change, on the same context
      listeners.add(registration);
      registration.deliver(current);
    }
    return this;
  }

  /**
   * Leaves the cluster and closes the Vert.x instance. The other members see this node depart at once (no heartbeat
   * timeout). Bounded by Hazelcast's graceful shutdown wait ({@value #GRACEFUL_SHUTDOWN_MAX_WAIT_SECONDS} s). Safe to
   * call more than once; every call returns the same future.
   */
  public synchronized Future<Void> close() {
    if (closed == null) {
      closing = true;
      LOG.info("leaving cluster [node: {}, address: {}]", nodeId(), address);
      closed = vertx.close();
    }
    return closed;
  }

  private static MembershipView.Member memberOf(com.hazelcast.cluster.Member member) {
    String id = member.getAttribute(VERTX_NODE_ID_ATTRIBUTE);
    // every Vert.x member publishes the attribute; a bare Hazelcast member would still get a stable id
    return new MembershipView.Member(id != null ? id : member.getUuid().toString(), addressOf(member));
  }

  private static String addressOf(com.hazelcast.cluster.Member member) {
    return member.getAddress().getHost() + ":" + member.getAddress().getPort();
  }

  private MembershipView viewOf(Set<com.hazelcast.cluster.Member> members, Optional<MembershipView.Member> departed) {
    return new MembershipView(nodeId(), members.stream().map(ClusterNode::memberOf).toList(), departed);
  }

  /** Runs on Hazelcast's event thread: computes the view there, delivers it through each listener's context. */
  private final class ViewUpdater implements MembershipListener {

    @Override
    public void memberAdded(MembershipEvent event) {
      update(event, Optional.empty());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      update(event, Optional.of(memberOf(event.getMember())));
    }

    private void update(MembershipEvent event, Optional<MembershipView.Member> departed) {
      if (closing) {
        return;
      }
      synchronized (viewLock) {
        current = viewOf(event.getMembers(), departed);
        LOG.info("cluster membership changed [node: {}, members: {}, departed: {}]", nodeId(), current.size(),
            departed.map(MembershipView.Member::id).orElse("none"));
        for (Registration registration : listeners) {
          registration.deliver(current);
        }
      }
    }
  }
}
