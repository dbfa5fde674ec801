package io.tycostream.triggers.emulator;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Splits the client byte stream into messages. Starts in the untyped startup phase (length + body) and switches to
 * typed messages once told the startup is complete. Not thread-safe; fed from the socket's event loop.
 */
final class FrontendFramer {

  private static final int MAX_MESSAGE = 64 * 1024 * 1024;

  private final Consumer<FrontendMessage> sink;
  private Buffer pending = Buffer.buffer();
  private boolean typed;

  FrontendFramer(Consumer<FrontendMessage> sink) {
    this.sink = sink;
  }

  void typedPhase() {
    typed = true;
  }

  void feed(Buffer data) {
    pending.appendBuffer(data);
    int offset = 0;
    while (true) {
      int header = typed ? 5 : 4;
      if (pending.length() - offset < header) {
        break;
      }
      char type = typed ? (char) pending.getByte(offset) : 0;
      int length = pending.getInt(offset + header - 4);
      if (length < 4 || length > MAX_MESSAGE) {
        throw new PgException("08P01", "invalid message length " + length, true);
      }
      int total = header - 4 + length;
      if (pending.length() - offset < total) {
        break;
      }
      Buffer body = pending.getBuffer(offset + header, offset + total);
      offset += total;
      sink.accept(new FrontendMessage(type, body));
    }
    pending = pending.getBuffer(offset, pending.length());
  }
}
