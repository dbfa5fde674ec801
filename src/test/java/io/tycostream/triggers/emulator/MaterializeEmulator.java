package io.tycostream.triggers.emulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process PostgreSQL-wire server that behaves like Materialize for {@code DECLARE … CURSOR FOR SUBSCRIBE} and
 * {@code FETCH} (spec /work/shared/materialize-subscribe.md §10), listening on an ephemeral port on 127.0.0.1.
 * Test code drives its data model through this control API.
 *
 * <p>Values in rows are Java objects by column type: INT4 {@code Integer}, INT8 {@code Long}, TEXT {@code String},
 * NUMERIC {@code BigDecimal} (or {@code Double.NaN} for NaN), BOOL {@code Boolean}, FLOAT8 {@code Double},
 * TIMESTAMP {@code LocalDateTime}, TIMESTAMPTZ {@code OffsetDateTime}, DATE {@code LocalDate}, JSONB {@code String}
 * (JSON text), UINT2 {@code Integer}, UINT4 {@code Long} (or {@code Integer}), UINT8 {@code BigInteger} (or
 * {@code Long}); null is NULL.
 *
 * <p>Clock: writes without an explicit time land at {@code max(upper, now)} and move the upper to {@code t + 1}; a
 * ticker moves every upper to the logical now each {@code tickMs} (manual clock when 0).
 *
 * <p>Threading: every control method is thread-safe and non-blocking (one internal lock), callable from test threads
 * and event loops alike. Sessions run on the server's event loop.
 */
public final class MaterializeEmulator {

  private static final Logger LOG = LoggerFactory.getLogger(MaterializeEmulator.class);

  private final Vertx vertx;
  private final EmulatorOptions options;
  /** The server's own CPU for big batches, so they hold neither the catalog lock nor a session's event loop. */
  private final ExecutorService formatter = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "materialize-emulator-formatter");
    thread.setDaemon(true);
    return thread;
  });
  private final Catalog catalog;
  private final SessionRegistry registry;
  private final AtomicInteger nextProcessId = new AtomicInteger(1000);
  private final SecureRandom random = new SecureRandom();
  private NetServer server;
  private int port;
  private long ticker = -1;

  private MaterializeEmulator(Vertx vertx, EmulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.catalog = new Catalog(options, formatter);
    this.registry = new SessionRegistry(catalog);
  }

  /** Starts the server on an ephemeral 127.0.0.1 port and the upper ticker. */
  public static Future<MaterializeEmulator> start(Vertx vertx, EmulatorOptions options) {
    MaterializeEmulator emulator = new MaterializeEmulator(vertx, options);
    return emulator.listen(0).map(v -> {
      if (options.getTickMs() > 0) {
        emulator.ticker = vertx.setPeriodic(options.getTickMs(), id -> emulator.catalog.tick());
      }
      return emulator;
    });
  }

  private Future<Void> listen(int requestedPort) {
    NetServer netServer = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(requestedPort)
        .setTcpNoDelay(true).setReuseAddress(true));
    netServer.connectHandler(this::accept);
    return netServer.listen().map(s -> {
      server = s;
      port = s.actualPort();
      LOG.debug("materialize emulator listening [port: {}]", port);
      return null;
    });
  }

  private void accept(NetSocket socket) {
    new PgSession(registry, vertx, socket, nextProcessId.getAndIncrement(), random.nextInt());
  }

  /** Closes every connection, the listener, the ticker and the formatter thread. */
  public Future<Void> stop() {
    if (ticker >= 0) {
      vertx.cancelTimer(ticker);
      ticker = -1;
    }
    killAllConnections();
    formatter.shutdownNow();
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() {
    return port;
  }

  /** Options for vertx-pg-client: 127.0.0.1, the port, database and user "materialize", the password if set. */
  public PgConnectOptions connectOptions() {
    PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(port).setDatabase("materialize")
        .setUser("materialize").setSslMode(SslMode.DISABLE);
    if (options.getPassword() != null) {
      connect.setPassword(options.getPassword());
    }
    return connect;
  }

  public EmulatedObject createTable(String name, EmulatorColumn... columns) {
    return catalog.create(name, Arrays.asList(columns));
  }

  /** Same behaviour as a table in the emulator. */
  public EmulatedObject createView(String name, EmulatorColumn... columns) {
    return catalog.create(name, Arrays.asList(columns));
  }

  /** Inserts one row at {@code max(upper, now)}; returns the write time. */
  public long insert(String object, Object... row) {
    return catalog.write(object, null, List.of(new RowDiff(row, 1)));
  }

  /** Inserts at an explicit time, which must be >= the upper. */
  public long insertAt(String object, long time, Object... row) {
    return catalog.write(object, time, List.of(new RowDiff(row, 1)));
  }

  /** Retracts {@code oldRow} and inserts {@code newRow} at one time. */
  public long update(String object, Object[] oldRow, Object[] newRow) {
    return catalog.write(object, null, List.of(new RowDiff(oldRow, -1), new RowDiff(newRow, 1)));
  }

  public long updateAt(String object, long time, Object[] oldRow, Object[] newRow) {
    return catalog.write(object, time, List.of(new RowDiff(oldRow, -1), new RowDiff(newRow, 1)));
  }

  public long delete(String object, Object... row) {
    return catalog.write(object, null, List.of(new RowDiff(row, -1)));
  }

  public long deleteAt(String object, long time, Object... row) {
    return catalog.write(object, time, List.of(new RowDiff(row, -1)));
  }

  /** Arbitrary diffs at one time (key violations, +2, …). */
  public long write(String object, long time, List<RowDiff> diffs) {
    return catalog.write(object, time, diffs);
  }

  /** upper := max(upper, toTime); subscribers get progress. */
  public void advance(String object, long toTime) {
    catalog.advance(object, toTime);
  }

  public long upper(String object) {
    return catalog.upper(object);
  }

  public long since(String object) {
    return catalog.since(object);
  }

  /** Forces the since forward (ignoring holds), simulating retention expiry while a reader was away. */
  public void compact(String object, long since) {
    catalog.compact(object, since);
  }

  public void drop(String object) {
    catalog.drop(object);
  }

  public void dropCluster() {
    catalog.dropCluster();
  }

  /** Makes the cluster usable again after {@link #dropCluster()}. */
  public void recreateCluster() {
    catalog.recreateCluster();
  }

  /** Stalls the frontier subscribes see (replica restart); writes continue and are delivered on resume. */
  public void pauseProgress(String object) {
    catalog.pauseProgress(object);
  }

  public void resumeProgress(String object) {
    catalog.resumeProgress(object);
  }

  /** Running subscribes on the object fail with XX000 {@code message}; new ones fail until cleared. */
  public void failDataflow(String object, String message) {
    catalog.failDataflow(object, message);
  }

  public void clearDataflowFailure(String object) {
    catalog.clearDataflowFailure(object);
  }

  /** Logical now in ms. */
  public long now() {
    return catalog.now();
  }

  /** Moves a manual clock (tickMs = 0) forward; no effect in wall-clock mode. */
  public void setNow(long now) {
    catalog.setNow(now);
  }

  /** Backend ids (BackendKeyData process ids) of authenticated live connections. */
  public List<Integer> connectionIds() {
    return registry.ids();
  }

  /** Closes the TCP connection without an error message. */
  public void killConnection(int id) {
    PgSession session = registry.get(id);
    if (session != null) {
      session.kill(null, null);
    }
  }

  /** Sends a FATAL ErrorResponse, then closes. */
  public void killConnection(int id, String sqlState, String message) {
    PgSession session = registry.get(id);
    if (session != null) {
      session.kill(sqlState, message);
    }
  }

  public void killAllConnections() {
    for (PgSession session : registry.all()) {
      session.kill(null, null);
    }
  }

  /** Closes all connections and the listener, then listens again on the same port; data is kept. */
  public Future<Void> restartServer() {
    killAllConnections();
    NetServer old = server;
    return old.close().compose(v -> listenAgain(20));
  }

  /** Closes all connections and the listener: clients are refused (an outage) until {@link #resumeListening()}. */
  public Future<Void> stopListening() {
    killAllConnections();
    return server.close();
  }

  /** Listens again on the same port after {@link #stopListening()}; data is kept. */
  public Future<Void> resumeListening() {
    return listenAgain(20);
  }

  /** The old listener may take a moment to release the port after close; retry briefly. */
  private Future<Void> listenAgain(int attemptsLeft) {
    return listen(port).recover(failure -> {
      if (attemptsLeft <= 0) {
        return Future.failedFuture(failure);
      }
      return vertx.timer(50).compose(v -> listenAgain(attemptsLeft - 1));
    });
  }

  public void setErrorProfile(ErrorProfile profile) {
    catalog.setProfile(profile);
  }

  /** Subscribe engines currently running (started by a FETCH and not yet ended). */
  public int activeSubscribes() {
    return catalog.activeSubscribes();
  }

  /** FETCH statements with a count above zero executed so far, on every connection (keep-alives not counted). */
  public long dataFetches() {
    return catalog.dataFetches.get();
  }
}
