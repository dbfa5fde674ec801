package io.tycostream.triggers.emulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One client connection: startup and authentication, message queueing (one message executes at a time, so a
 * blocked FETCH holds back the next ones), the idle-in-transaction timer, cancellation and termination. Statement
 * protocols are handled by {@link ProtocolHandler}.
 *
 * <p>Threading: confined to the event loop of the socket's context; external calls ({@link #kill}, {@link #cancel})
 * hop onto it.
 */
final class PgSession {

  private static final Logger LOG = LoggerFactory.getLogger(PgSession.class);
  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;
  private static final int PROTOCOL_3 = 196608;

  private enum Phase { STARTUP, AUTHENTICATING, READY, CLOSED }

  private final SessionRegistry registry;
  private final NetSocket socket;
  private final Context context;
  private final Vertx vertx;
  private final FrontendFramer framer;
  private final Deque<FrontendMessage> queue = new ArrayDeque<>();
  private final SessionVariables variables;
  private final StatementExecutor executor;
  private final ProtocolHandler protocol;
  private final int processId;
  private final int secret;
  private Phase phase = Phase.STARTUP;
  private boolean busy;
  private long idleTimer = -1;
  private boolean idleExpired;
  private Buffer pendingNotices;

  PgSession(SessionRegistry registry, Vertx vertx, NetSocket socket, int processId, int secret) {
    this.registry = registry;
    this.vertx = vertx;
    this.socket = socket;
    this.context = vertx.getOrCreateContext();
    this.processId = processId;
    this.secret = secret;
    this.variables = new SessionVariables(registry.catalog().options());
    this.executor = new StatementExecutor(vertx, context, registry.catalog(), variables, socket::write);
    this.protocol = new ProtocolHandler(executor, socket::write);
    this.framer = new FrontendFramer(this::onMessage);
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(e -> LOG.debug("emulator socket error [backend: {}]", processId, e));
  }

  int processId() { return processId; }

  int secret() { return secret; }

  boolean authenticated() { return phase == Phase.READY; }

  private void onData(Buffer data) {
    try {
      framer.feed(data);
    } catch (PgException e) {
      fatal(e);
    }
  }

  private void onMessage(FrontendMessage message) {
    if (phase == Phase.CLOSED) {
      return;
    }
    if (phase == Phase.STARTUP) {
      startup(message);
      return;
    }
    if (phase == Phase.AUTHENTICATING) {
      authenticate(message);
      return;
    }
    cancelIdleTimer();
    if (idleExpired) {
      fatal(new PgException("25P03", "terminating connection due to idle-in-transaction timeout", true));
      return;
    }
    queue.addLast(message);
    pump();
  }

  private void pump() {
    while (!busy && !queue.isEmpty() && phase == Phase.READY) {
      FrontendMessage message = queue.pollFirst();
      if (message.type == 'X') {
        close();
        return;
      }
      Future<Void> handled = protocol.handle(message);
      if (!handled.isComplete()) {
        busy = true;
        handled.onComplete(done -> {
          busy = false;
          pump();
        });
        return;
      }
    }
    if (!busy && queue.isEmpty() && phase == Phase.READY) {
      armIdleTimer();
    }
  }

  private void startup(FrontendMessage message) {
    int code = message.readInt();
    if (code == SSL_REQUEST || code == GSS_REQUEST) {
      socket.write(Buffer.buffer().appendByte((byte) 'N'));
      return;
    }
    if (code == CANCEL_REQUEST) {
      registry.cancel(message.readInt(), message.readInt());
      close();
      return;
    }
    if (code != PROTOCOL_3) {
      fatal(new PgException("08004", "server does not support the client's requested protocol version", true));
      return;
    }
    Buffer notices = Buffer.buffer();
    while (message.hasMore()) {
      String name = message.readCString();
      if (name.isEmpty()) {
        break;
      }
      applyStartupSetting(name, message.readCString(), notices);
    }
    framer.typedPhase();
    if (registry.catalog().options().getPassword() != null) {
      phase = Phase.AUTHENTICATING;
      Buffer out = Buffer.buffer();
      BackendMessages.authentication(out, 3);
      socket.write(out);
      pendingNotices = notices;
      return;
    }
    completeStartup(notices);
  }

  private void applyStartupSetting(String name, String value, Buffer notices) {
    if (name.equals("user") || name.equals("database") || name.equals("replication")) {
      return;
    }
    if (name.equals("options")) {
      for (String part : value.trim().split("\\s+")) {
        String setting = part.startsWith("--") ? part.substring(2) : part.startsWith("-c") ? part.substring(2) : part;
        int eq = setting.indexOf('=');
        if (eq > 0) {
          applyStartupSetting(setting.substring(0, eq).replace('-', '_'), setting.substring(eq + 1), notices);
        }
      }
      return;
    }
    try {
      variables.set(name, value);
    } catch (PgException e) {
      BackendMessages.errorOrNotice(notices, 'N', "NOTICE", "01000",
          "startup setting " + name + " not set: " + e.getMessage());
    }
  }

  private void authenticate(FrontendMessage message) {
    String expected = registry.catalog().options().getPassword();
    if (message.type != 'p' || !expected.equals(message.readCString())) {
      fatal(new PgException("28P01", "invalid password", true));
      return;
    }
    completeStartup(pendingNotices);
  }

  private void completeStartup(Buffer notices) {
    phase = Phase.READY;
    Buffer out = Buffer.buffer();
    BackendMessages.authentication(out, 0);
    for (String name : SessionVariables.NOTIFY_SET) {
      BackendMessages.parameterStatus(out, name, variables.get(name));
    }
    BackendMessages.backendKeyData(out, processId, secret);
    out.appendBuffer(notices);
    BackendMessages.readyForQuery(out, 'I');
    socket.write(out);
    registry.register(this);
  }

  private void armIdleTimer() {
    long timeout = variables.idleInTransactionMs();
    if (executor.state() == StatementExecutor.TxnState.IDLE || timeout <= 0) {
      return;
    }
    idleTimer = vertx.setTimer(timeout, id -> {
      idleTimer = -1;
      idleExpired = true;
    });
  }

  private void cancelIdleTimer() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  /** CancelRequest for this backend: fails a running FETCH with 57014. */
  void cancel() {
    context.runOnContext(v -> executor.cancel());
  }

  /** Closes the connection, after a FATAL ErrorResponse when {@code sqlState} is given. */
  void kill(String sqlState, String message) {
    context.runOnContext(v -> {
      if (sqlState != null) {
        fatal(new PgException(sqlState, message, true));
      } else {
        close();
      }
    });
  }

  private void fatal(PgException error) {
    if (phase == Phase.CLOSED) {
      return;
    }
    release();
    Buffer out = Buffer.buffer();
    BackendMessages.error(out, error);
    // close only once the error is flushed: a close inside a read would drop the unflushed write
    socket.write(out).onComplete(done -> socket.close());
  }

  void close() {
    if (phase == Phase.CLOSED) {
      return;
    }
    release();
    socket.close();
  }

  private void release() {
    phase = Phase.CLOSED;
    cancelIdleTimer();
    executor.release();
    registry.unregister(this);
  }

  private void onClosed() {
    if (phase != Phase.CLOSED) {
      release();
    }
  }
}
