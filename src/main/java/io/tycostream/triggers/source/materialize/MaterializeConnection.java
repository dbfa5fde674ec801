package io.tycostream.triggers.source.materialize;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.spi.ConnectionFactory;

import java.time.Duration;

/**
 * One dedicated connection to Materialize whose opening is bounded: the TCP connect, the TLS handshake and the
 * startup handshake together must produce a ready session within the connect timeout, otherwise {@link #ready()}
 * fails (no SQLSTATE, so {@link FailureClassifier} calls it transient) and the half-open socket is closed.
 * <p>
 * {@code PgConnection.connect} offers no such bound (its TCP connect timeout does not cover a server that accepts
 * and never answers) and no handle on a connection that is still opening. So each instance owns its own connection
 * factory: closing that factory closes whatever socket it has opened, at any stage.
 * <p>
 * Not thread-safe: open, use and close it on one Vert.x context; the connection runs on that context.
 */
final class MaterializeConnection {

  private final Vertx vertx;
  private final ConnectionFactory<PgConnectOptions> factory;
  private final Promise<PgConnection> ready = Promise.promise();
  private final long timer;
  private PgConnection connection;
  private Future<Void> closed;

  private MaterializeConnection(Vertx vertx, Context context, PgConnectOptions options, Duration connectTimeout) {
    this.vertx = vertx;
    this.factory = PgDriver.INSTANCE.createConnectionFactory(vertx, new NetClientOptions());
    long limitMs = Math.max(1, connectTimeout.toMillis());
    this.timer = vertx.setTimer(limitMs, id -> {
      if (ready.tryFail(new VertxException("no ready session within " + limitMs + " ms of connecting to "
          + options.getHost() + ":" + options.getPort(), true))) {
        close();
      }
    });
    factory.connect(context, options).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        ready.tryFail(ar.cause());
        close();
        return;
      }
      PgConnection opened = PgConnection.cast(ar.result());
      if (ready.tryComplete(opened)) {
        connection = opened;
      } else {
        // timed out or closed meanwhile: nobody will use it
        opened.close().onComplete(closedAr -> close());
      }
    });
  }

  /** Starts connecting on the current context (the one that calls this). */
  static MaterializeConnection open(Vertx vertx, PgConnectOptions options, Duration connectTimeout) {
    return new MaterializeConnection(vertx, vertx.getOrCreateContext(), options, connectTimeout);
  }

  /** The session, once the server has completed the startup handshake. */
  Future<PgConnection> ready() {
    return ready.future();
  }

  /**
   * Closes the connection, or abandons an attempt still opening (closing its socket at once). Idempotent; never
   * fails.
   */
  Future<Void> close() {
    if (closed != null) {
      return closed;
    }
    vertx.cancelTimer(timer);
    ready.tryFail(new VertxException("connection closed while connecting", true));
    Promise<Void> done = Promise.promise();
    Future<Void> connectionClosed = connection == null ? Future.succeededFuture() : connection.close();
    connectionClosed.onComplete(ar -> factory.close((ignored, failure) -> done.tryComplete()));
    closed = done.future();
    return closed;
  }
}
