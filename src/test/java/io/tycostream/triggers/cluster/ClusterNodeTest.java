package io.tycostream.triggers.cluster;

import io.tycostream.triggers.testkit.LoopbackPorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real clustered Vert.x instances in one JVM, on loopback, each test with its own cluster names and free ports.
 * Every wait is bounded; every node started is closed after the test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterNodeTest {

  /** Unique per run, so a stray member of another run or test class can never join. */
  private static final String CLUSTER_PREFIX = "cluster-node-test-" + UUID.randomUUID() + "-";
  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static final Duration MEMBERSHIP_WAIT = Duration.ofSeconds(10);

  private final List<ClusterNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() throws Exception {
    // one at a time, last started first: closing all at once would make Hazelcast report lost partitions
    for (int i = nodes.size() - 1; i >= 0; i--) {
      await(nodes.get(i).close());
    }
  }

  /** Verifies that two nodes listing each other form one cluster, and each sees both members. */
  @Test
  void twoNodesFormOneCluster() throws Exception {
    // GIVEN two nodes that list each other
    String cluster = clusterName();
    int portA = LoopbackPorts.free();
    int portB = LoopbackPorts.free();

    // WHEN both start
    long started = System.nanoTime();
    ClusterNode a = start(options(cluster, portA, portB));
    long aStarted = System.nanoTime();
    ClusterNode b = start(options(cluster, portB, portA));
    long bStarted = System.nanoTime();
    awaitCondition(() -> a.members().size() == 2 && b.members().size() == 2, MEMBERSHIP_WAIT);
    long joined = System.nanoTime();
    System.out.printf("two-node cluster: first node started in %d ms, second in %d ms, both see 2 members after %d ms%n",
        millis(started, aStarted), millis(aStarted, bStarted), millis(started, joined));

    // THEN each sees the same two members, under the ids and addresses the nodes report themselves
    assertThat(a.members().members()).isEqualTo(b.members().members());
    assertThat(a.members().memberIds()).containsExactlyInAnyOrder(a.nodeId(), b.nodeId()).isSorted();
    assertThat(a.members().members()).extracting(MembershipView.Member::address)
        .containsExactlyInAnyOrder("127.0.0.1:" + portA, "127.0.0.1:" + portB);
    assertThat(a.members().selfId()).isEqualTo(a.nodeId());
    assertThat(b.members().selfId()).isEqualTo(b.nodeId());
    assertThat(a.address()).isEqualTo("127.0.0.1:" + portA);
  }

  /** Verifies that a request sent on one node is answered by a consumer on the other, with a JSON body. */
  @Test
  void eventBusRequestCrossesNodes() throws Exception {
    // GIVEN two joined nodes and an echo consumer on the second
    String cluster = clusterName();
    int portA = LoopbackPorts.free();
    int portB = LoopbackPorts.free();
    ClusterNode a = start(options(cluster, portA, portB));
    ClusterNode b = start(options(cluster, portB, portA));
    awaitCondition(() -> a.members().size() == 2 && b.members().size() == 2, MEMBERSHIP_WAIT);
    MessageConsumer<JsonObject> echo = b.vertx().eventBus().consumer("cluster-node-test.echo",
        message -> message.reply(new JsonObject().put("echo", message.body().getString("text"))
            .put("node", b.nodeId())));
    await(echo.completion());

    // WHEN the first node sends a request
    Message<JsonObject> reply = await(a.vertx().eventBus().<JsonObject>request("cluster-node-test.echo",
        new JsonObject().put("text", "hello"), new DeliveryOptions().setSendTimeout(5_000)));

    // THEN the second node answered it
    assertThat(reply.body().getString("echo")).isEqualTo("hello");
    assertThat(reply.body().getString("node")).isEqualTo(b.nodeId());
  }

  /** Verifies that a closed node is seen leaving, with its id, by the other node's listener on a Vert.x context. */
  @Test
  void closingANodeIsSeenAsItsDeparture() throws Exception {
    // GIVEN two joined nodes and a listener on the first
    String cluster = clusterName();
    int portA = LoopbackPorts.free();
    int portB = LoopbackPorts.free();
    ClusterNode a = start(options(cluster, portA, portB));
    ClusterNode b = start(options(cluster, portB, portA));
    awaitCondition(() -> a.members().size() == 2 && b.members().size() == 2, MEMBERSHIP_WAIT);
    BlockingQueue<MembershipView> views = new LinkedBlockingQueue<>();
    BlockingQueue<Boolean> onEventLoop = new LinkedBlockingQueue<>();
    a.onMembershipChange(view -> {
      onEventLoop.add(Context.isOnEventLoopThread());
      views.add(view);
    });
    MembershipView first = views.poll(5, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.size()).isEqualTo(2);
    String departingId = b.nodeId();

    // WHEN the second node closes
    long closing = System.nanoTime();
    await(b.close());
    long closed = System.nanoTime();
    MembershipView departure = awaitView(views, view -> view.departed().isPresent(), MEMBERSHIP_WAIT);
    long seen = System.nanoTime();
    System.out.printf("close: the node closed in %d ms; the other saw it leave %d ms after close() was called%n",
        millis(closing, closed), millis(closing, seen));

    // THEN the first node's listener saw it leave, by id, on an event loop
    assertThat(departure.departed()).get().extracting(MembershipView.Member::id).isEqualTo(departingId);
    assertThat(departure.departed()).get().extracting(MembershipView.Member::address)
        .isEqualTo("127.0.0.1:" + portB);
    assertThat(departure.memberIds()).containsExactly(a.nodeId());
    assertThat(a.members().memberIds()).containsExactly(a.nodeId());
    assertThat(onEventLoop).containsOnly(true);
  }

  /** Verifies that a node of another cluster name, though it lists the first node, forms a cluster of its own. */
  @Test
  void aNodeOfAnotherClusterDoesNotJoin() throws Exception {
    // GIVEN a running node
    int portA = LoopbackPorts.free();
    int portC = LoopbackPorts.free();
    ClusterNode a = start(options(clusterName(), portA, portC));
    BlockingQueue<MembershipView> views = new LinkedBlockingQueue<>();
    a.onMembershipChange(views::add);

    // WHEN a node with another cluster name and the first node as its member starts
    long started = System.nanoTime();
    ClusterNode c = start(options(clusterName(), portC, portA));
    System.out.printf("other cluster name: the node started alone in %d ms%n", millis(started, System.nanoTime()));

    // THEN neither sees the other, now or a little later
    assertThat(c.members().memberIds()).containsExactly(c.nodeId());
    Thread.sleep(2_000);
    assertThat(a.members().memberIds()).containsExactly(a.nodeId());
    assertThat(c.members().memberIds()).containsExactly(c.nodeId());
    assertThat(views).allSatisfy(view -> assertThat(view.size()).isEqualTo(1));
  }

  /** Verifies that a taken port fails the start, naming the address, instead of moving to another port. */
  @Test
  void aTakenPortFailsTheStart() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();

      long started = System.nanoTime();
      Future<ClusterNode> start = ClusterNode.start(new VertxOptions(), options(clusterName(), port));
      start.onSuccess(nodes::add);

      assertThatThrownBy(() -> await(start)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("did not start")
          .hasMessageContaining("in use");
      System.out.printf("taken port: the start failed after %d ms%n", millis(started, System.nanoTime()));
    }
  }

  /** Verifies that invalid options are refused before anything starts. */
  @Test
  void invalidOptionsAreRefusedAtOnce() {
    assertThatThrownBy(() -> ClusterNode.start(new VertxOptions(), new ClusterOptions().setPort(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("port");
  }

  private ClusterNode start(ClusterOptions options) throws Exception {
    ClusterNode node = await(ClusterNode.start(new VertxOptions(), options));
    nodes.add(node);
    return node;
  }

  private static ClusterOptions options(String cluster, int port, int... others) {
    List<String> members = new ArrayList<>();
    for (int other : others) {
      members.add("127.0.0.1:" + other);
    }
    return new ClusterOptions().setClusterName(cluster).setHost("127.0.0.1").setPort(port).setMembers(members);
  }

  private static String clusterName() {
    return CLUSTER_PREFIX + CLUSTERS.incrementAndGet();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void awaitCondition(BooleanSupplier condition, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + bound);
      }
      Thread.sleep(20);
    }
  }

  private static MembershipView awaitView(BlockingQueue<MembershipView> views,
      Predicate<MembershipView> wanted, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      MembershipView view = views.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (view == null) {
        throw new AssertionError("no such membership view within " + bound);
      }
      if (wanted.test(view)) {
        return view;
      }
    }
  }

  private static long millis(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }
}
