package io.tycostream.triggers.delivery;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A real SQLite store in a test's temporary directory with helpers to create triggers, commit events as the
 * evaluator would, deploy delivery, and wait (bounded) for what a user would observe. Blocking calls run on the
 * JUnit thread only, never on an event loop.
 */
final class DeliveryFixture {

  static final String SOURCE = "positions";
  static final BigInteger SOURCE_TIMESTAMP = new BigInteger("1705316445123");
  private static final Duration WAIT = Duration.ofSeconds(15);

  final Vertx vertx;
  final Store store;
  private final SqliteStoreOptions storeOptions;
  private final AtomicLong frontier = new AtomicLong(1);
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private DeliveryFixture(Vertx vertx, Store store, SqliteStoreOptions storeOptions) {
    this.vertx = vertx;
    this.store = store;
    this.storeOptions = storeOptions;
  }

  static DeliveryFixture open(Vertx vertx, Path dir) {
    SqliteStoreOptions options = new SqliteStoreOptions().setDataDirectory(dir.resolve("data"));
    return new DeliveryFixture(vertx, await(SqliteStore.open(vertx, options, Clock.systemUTC())), options);
  }

  /** Runs SQL against the database file with a JDBC connection of its own, behind the store's back. */
  void executeSql(String sql) {
    String url = "jdbc:sqlite:" + storeOptions.databaseFile().toAbsolutePath() + "?busy_timeout=5000";
    try (Connection conn = DriverManager.getConnection(url); Statement statement = conn.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("sql failed: " + sql, e);
    }
  }

  /**
   * Options for loopback receivers: private targets allowed, http allowed, short timeouts, a fast poll, and a 1 s drain so a test
   * that leaves requests hanging does not wait long in its tear-down.
   */
  static DeliveryOptions loopbackOptions(RetryPolicy policy) {
    return new DeliveryOptions()
      .setAllowPrivateTargets(true)
      .setRequireHttps(false)
      .setConnectTimeout(Duration.ofMillis(500))
      .setRequestTimeout(Duration.ofSeconds(2))
      .setLease(Duration.ofSeconds(5))
      .setPollInterval(Duration.ofMillis(200))
      .setDrainTimeout(Duration.ofSeconds(1))
      .setRetryPolicy(policy);
  }

  /** Exponential backoff with 50 ms waits, for tests. */
  static RetryPolicy quickRetries(int maxAttempts) {
    return RetryPolicy.exponentialBackoff(Duration.ofMillis(50), 1.0, Duration.ofMillis(50), maxAttempts);
  }

  /** Stores a trigger posting to {@code url} and returns its freshly generated secret. */
  String createTrigger(String name, String url) {
    String secret = WebhookSecret.generate(new SecureRandom()).value();
    String definition = new JsonObject()
      .put("name", name)
      .put("source", SOURCE)
      .put("webhook", new JsonObject().put("url", url))
      .put("fire", new JsonObject().put("net_position", new JsonObject().put("_gt", 10000)))
      .encode();
    await(store.createTrigger(new NewTrigger(name, SOURCE, definition, secret)));
    // only the events of a trigger with its baseline are delivered (a trigger being baselined stages its FIREs)
    await(store.markBaselined(name, BigInteger.ONE));
    return secret;
  }

  /** Commits one FIRE event, as the evaluator would, and wakes delivery. */
  void commitEvent(String eventId, String trigger, String dataJson) {
    NewEvent event = new NewEvent(eventId, trigger, "FIRE", SOURCE_TIMESTAMP, "[\"" + eventId + "\"]", dataJson);
    await(store.commit(SourceCommit.of(SOURCE, BigInteger.valueOf(frontier.getAndIncrement()), List.of(event),
      List.of())));
    vertx.eventBus().publish(BusAddresses.DELIVERY_WAKE, null);
  }

  /** Commits events in one commit, as the evaluator would, and wakes delivery. */
  void commit(List<NewEvent> events) {
    await(store.commit(SourceCommit.of(SOURCE, BigInteger.valueOf(frontier.getAndIncrement()), events, List.of())));
    vertx.eventBus().publish(BusAddresses.DELIVERY_WAKE, null);
  }

  String deploy(DeliveryOptions options) {
    return deploy(new DeliveryVerticle(store, options));
  }

  /** Deploys delivery with its own name lookup and address policy. */
  String deploy(DeliveryOptions options, TargetResolver.Setup resolution) {
    return deploy(new DeliveryVerticle(store, options, resolution));
  }

  private String deploy(DeliveryVerticle verticle) {
    String id = await(vertx.deployVerticle(verticle));
    deployments.add(id);
    return id;
  }

  void undeploy(String deploymentId) {
    deployments.remove(deploymentId);
    await(vertx.undeploy(deploymentId));
  }

  StoredEvent event(String eventId) {
    return await(store.getEvent(eventId)).orElseThrow();
  }

  List<RecordedAttempt> attempts(String eventId) {
    return await(store.listAttempts(eventId));
  }

  /** Waits until {@code condition} holds, failing the test after a bounded time. */
  static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      pause(20);
    }
  }

  /** Waits on the JUnit thread (never an event loop), to observe that nothing happens meanwhile. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("call did not complete in time", e);
    }
  }

  /** Undeploys what is still deployed, then closes the store; a second call does nothing. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (String id : deployments) {
      undeploy(id);
    }
    await(store.close());
  }
}
