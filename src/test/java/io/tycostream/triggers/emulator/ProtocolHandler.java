package io.tycostream.triggers.emulator;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The simple and extended query protocols on top of a {@link StatementExecutor}: Query, Parse, Bind, Describe,
 * Execute, Sync, Flush, Close, with PostgreSQL's format-code rules and "discard until Sync" after an error.
 *
 * <p>Threading: confined to the session's event loop; {@link #handle} is called for one message at a time.
 */
final class ProtocolHandler {

  private static final PreparedStatement EMPTY = new PreparedStatement("", null);

  private final StatementExecutor executor;
  private final Consumer<Buffer> writer;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<String, BoundPortal> portals = new HashMap<>();
  private boolean discardUntilSync;

  ProtocolHandler(StatementExecutor executor, Consumer<Buffer> writer) {
    this.executor = executor;
    this.writer = writer;
  }

  /** Handles one message; the future completes when the next message may be processed. */
  Future<Void> handle(FrontendMessage message) {
    if (message.type == 'Q') {
      return simpleQuery(message.readCString());
    }
    if (message.type == 'S') {
      discardUntilSync = false;
      if (executor.state() == StatementExecutor.TxnState.IDLE) {
        portals.remove("");
      }
      readyForQuery();
      return Future.succeededFuture();
    }
    if (message.type == 'H') {
      return Future.succeededFuture();
    }
    if (discardUntilSync) {
      return Future.succeededFuture();
    }
    try {
      switch (message.type) {
        case 'P': parse(message); return Future.succeededFuture();
        case 'B': bind(message); return Future.succeededFuture();
        case 'D': describe(message); return Future.succeededFuture();
        case 'C': close(message); return Future.succeededFuture();
        case 'E': return execute(message);
        default: throw new PgException("08P01", "unsupported frontend message type " + message.type);
      }
    } catch (PgException e) {
      extendedError(e);
      return Future.succeededFuture();
    }
  }

  private void readyForQuery() {
    Buffer out = Buffer.buffer();
    BackendMessages.readyForQuery(out, executor.state().status);
    writer.accept(out);
  }

  private void sendError(PgException e) {
    Buffer out = Buffer.buffer();
    BackendMessages.error(out, e);
    writer.accept(out);
    executor.onError();
  }

  private void extendedError(PgException e) {
    sendError(e);
    discardUntilSync = true;
  }

  // ---- simple protocol

  private Future<Void> simpleQuery(String sql) {
    List<Statement> parsed;
    try {
      parsed = StatementParser.parseAll(sql);
    } catch (PgException e) {
      sendError(e);
      readyForQuery();
      return Future.succeededFuture();
    }
    if (parsed.isEmpty()) {
      Buffer out = Buffer.buffer();
      BackendMessages.emptyQueryResponse(out);
      writer.accept(out);
      readyForQuery();
      return Future.succeededFuture();
    }
    return runSimple(parsed, 0).onComplete(done -> readyForQuery()).mapEmpty();
  }

  private Future<Void> runSimple(List<Statement> parsed, int index) {
    if (index >= parsed.size()) {
      return Future.succeededFuture();
    }
    Statement statement = parsed.get(index);
    try {
      List<OutputColumn> columns = executor.state() == StatementExecutor.TxnState.FAILED
          ? null : executor.describe(statement);
      if (columns != null) {
        Buffer out = Buffer.buffer();
        if (statement instanceof Statement.Subscribe) {
          BackendMessages.errorOrNotice(out, 'N', "NOTICE", "01000",
              "streaming SUBSCRIBE rows directly requires a client that does not buffer output");
        }
        BackendMessages.rowDescription(out, columns, null);
        writer.accept(out);
      }
    } catch (PgException e) {
      sendError(e);
      return Future.succeededFuture();
    }
    return executor.execute(statement, null, 0).transform(result -> {
      if (result.failed()) {
        sendError(asPgException(result.cause()));
        return Future.succeededFuture();
      }
      commandComplete(result.result());
      return runSimple(parsed, index + 1);
    });
  }

  private static PgException asPgException(Throwable cause) {
    return cause instanceof PgException pg ? pg : new PgException("XX000", String.valueOf(cause));
  }

  private void commandComplete(String tag) {
    Buffer out = Buffer.buffer();
    BackendMessages.commandComplete(out, tag);
    writer.accept(out);
  }

  // ---- extended protocol

  private void parse(FrontendMessage message) {
    String name = message.readCString();
    String sql = message.readCString();
    List<Statement> parsed = StatementParser.parseAll(sql);
    if (parsed.size() > 1) {
      throw new PgException("42601", "cannot insert multiple commands into a prepared statement");
    }
    statements.put(name, parsed.isEmpty() ? EMPTY : new PreparedStatement(sql, parsed.get(0)));
    Buffer out = Buffer.buffer();
    BackendMessages.parseComplete(out);
    writer.accept(out);
  }

  private PreparedStatement statement(String name) {
    PreparedStatement statement = statements.get(name);
    if (statement == null) {
      throw new PgException("26000", "prepared statement \"" + name + "\" does not exist");
    }
    return statement;
  }

  private List<OutputColumn> describe(PreparedStatement statement) {
    return statement.statement() == null ? null : executor.describe(statement.statement());
  }

  private void bind(FrontendMessage message) {
    String portal = message.readCString();
    PreparedStatement statement = statement(message.readCString());
    int parameterFormats = message.readShort();
    for (int i = 0; i < parameterFormats; i++) {
      message.readShort();
    }
    int parameters = message.readShort();
    if (parameters > 0) {
      throw new PgException("08P01", "bind message supplies " + parameters + " parameters, but prepared statement "
          + "requires 0");
    }
    int[] codes = new int[message.readShort()];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = message.readShort();
    }
    List<OutputColumn> columns = describe(statement);
    portals.put(portal, new BoundPortal(statement, columns, resultFormats(codes, columns)));
    Buffer out = Buffer.buffer();
    BackendMessages.bindComplete(out);
    writer.accept(out);
  }

  /** PostgreSQL's rule: no codes = all text, one code = applies to every column, else one per column. */
  private static int[] resultFormats(int[] codes, List<OutputColumn> columns) {
    if (columns == null) {
      return null;
    }
    int[] formats = new int[columns.size()];
    if (codes.length == 1) {
      java.util.Arrays.fill(formats, codes[0]);
    } else if (codes.length == columns.size()) {
      System.arraycopy(codes, 0, formats, 0, codes.length);
    } else if (codes.length != 0) {
      throw new PgException("08P01", "bind message has " + codes.length + " result formats but query has "
          + columns.size() + " columns");
    }
    for (int format : formats) {
      if (format != BackendMessages.FORMAT_TEXT && format != BackendMessages.FORMAT_BINARY) {
        throw new PgException("22023", "unsupported format code: " + format);
      }
    }
    return formats;
  }

  private void describe(FrontendMessage message) {
    char kind = (char) message.readByte();
    String name = message.readCString();
    Buffer out = Buffer.buffer();
    if (kind == 'S') {
      List<OutputColumn> columns = describe(statement(name));
      BackendMessages.parameterDescription(out);
      if (columns == null) {
        BackendMessages.noData(out);
      } else {
        BackendMessages.rowDescription(out, columns, null);
      }
    } else {
      BoundPortal portal = portal(name);
      if (portal.columns() == null) {
        BackendMessages.noData(out);
      } else {
        BackendMessages.rowDescription(out, portal.columns(), portal.formats());
      }
    }
    writer.accept(out);
  }

  private BoundPortal portal(String name) {
    BoundPortal portal = portals.get(name);
    if (portal == null) {
      throw new PgException("34000", "portal \"" + name + "\" does not exist");
    }
    return portal;
  }

  private void close(FrontendMessage message) {
    char kind = (char) message.readByte();
    String name = message.readCString();
    if (kind == 'S') {
      statements.remove(name);
    } else {
      portals.remove(name);
    }
    Buffer out = Buffer.buffer();
    BackendMessages.closeComplete(out);
    writer.accept(out);
  }

  private Future<Void> execute(FrontendMessage message) {
    BoundPortal portal = portal(message.readCString());
    int maxRows = message.readInt();
    Statement statement = portal.statement().statement();
    if (statement == null) {
      Buffer out = Buffer.buffer();
      BackendMessages.emptyQueryResponse(out);
      writer.accept(out);
      return Future.succeededFuture();
    }
    return executor.execute(statement, portal.formats(), maxRows).transform(result -> {
      if (result.failed()) {
        extendedError(asPgException(result.cause()));
      } else {
        commandComplete(result.result());
      }
      return Future.succeededFuture();
    });
  }
}
