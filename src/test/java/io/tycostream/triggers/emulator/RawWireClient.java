package io.tycostream.triggers.emulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.emulator.EmulatorTestClient.await;

/**
 * Test helper speaking raw pgwire to the emulator, to check bytes a driver hides (ParameterStatus, command tags,
 * status bytes, binary encodings). Used from the JUnit thread only; every read is bounded.
 */
final class RawWireClient implements AutoCloseable {

  /** One backend message: type byte and body. */
  record Message(char type, Buffer body) {

    String cstring(int offset) {
      int end = offset;
      while (body.getByte(end) != 0) {
        end++;
      }
      return body.getString(offset, end, StandardCharsets.UTF_8.name());
    }

    /** ErrorResponse/NoticeResponse field by code ('C' SQLSTATE, 'M' message, 'S' severity). */
    String field(char code) {
      int at = 0;
      while (at < body.length() && body.getByte(at) != 0) {
        char fieldCode = (char) body.getByte(at);
        String value = cstring(at + 1);
        if (fieldCode == code) {
          return value;
        }
        at += 1 + value.getBytes(StandardCharsets.UTF_8).length + 1;
      }
      return null;
    }

    /** DataRow column values as raw bytes (null for NULL). */
    List<Buffer> columns() {
      List<Buffer> values = new ArrayList<>();
      int count = body.getShort(0);
      int at = 2;
      for (int i = 0; i < count; i++) {
        int length = body.getInt(at);
        at += 4;
        values.add(length < 0 ? null : body.getBuffer(at, at + length));
        at += Math.max(length, 0);
      }
      return values;
    }
  }

  private final NetSocket socket;
  private final BlockingQueue<Object> incoming = new LinkedBlockingQueue<>();
  private Buffer pending = Buffer.buffer();
  private boolean typed;
  private static final Object CLOSED = new Object();

  private RawWireClient(NetSocket socket) {
    this.socket = socket;
    socket.handler(this::onData);
    socket.closeHandler(v -> incoming.add(CLOSED));
  }

  static RawWireClient open(Vertx vertx, int port) {
    NetClient client = vertx.createNetClient();
    return new RawWireClient(await(client.connect(port, "127.0.0.1")));
  }

  /** Opens a connection and completes the startup without password; returns all startup messages. */
  static RawWireClient connect(Vertx vertx, int port, List<Message> startupMessages) {
    RawWireClient client = open(vertx, port);
    client.sendStartup("user", "materialize", "database", "materialize", "application_name", "raw-test");
    startupMessages.addAll(client.readUntil('Z'));
    return client;
  }

  private synchronized void onData(Buffer data) {
    pending.appendBuffer(data);
    int offset = 0;
    while (true) {
      if (!typed) {
        if (pending.length() - offset < 1) {
          break;
        }
        char type = (char) pending.getByte(offset);
        if (type == 'N' && pending.length() - offset == 1) {
          incoming.add(new Message('N', Buffer.buffer()));
          offset++;
          continue;
        }
        typed = true;
      }
      if (pending.length() - offset < 5) {
        break;
      }
      int length = pending.getInt(offset + 1);
      if (pending.length() - offset < 1 + length) {
        break;
      }
      incoming.add(new Message((char) pending.getByte(offset), pending.getBuffer(offset + 5, offset + 1 + length)));
      offset += 1 + length;
    }
    pending = pending.getBuffer(offset, pending.length());
  }

  void sendStartup(String... keyValues) {
    Buffer body = Buffer.buffer().appendInt(196608);
    for (String part : keyValues) {
      body.appendString(part).appendByte((byte) 0);
    }
    body.appendByte((byte) 0);
    synchronized (this) {
      typed = true;
    }
    socket.write(Buffer.buffer().appendInt(body.length() + 4).appendBuffer(body));
  }

  /** Sends an untyped startup-phase packet (SSLRequest, CancelRequest). */
  void sendUntyped(int... ints) {
    Buffer packet = Buffer.buffer().appendInt(4 + 4 * ints.length);
    for (int value : ints) {
      packet.appendInt(value);
    }
    socket.write(packet);
  }

  void send(char type, Buffer body) {
    socket.write(Buffer.buffer().appendByte((byte) type).appendInt(body.length() + 4).appendBuffer(body));
  }

  static Buffer cstrings(String... values) {
    Buffer body = Buffer.buffer();
    for (String value : values) {
      body.appendString(value, StandardCharsets.UTF_8.name()).appendByte((byte) 0);
    }
    return body;
  }

  List<Message> query(String sql) {
    send('Q', cstrings(sql));
    return readUntil('Z');
  }

  /** Next message, or null if none arrives within the wait bound or the connection closed. */
  Message next(long timeoutMs) {
    try {
      Object item = incoming.poll(timeoutMs, TimeUnit.MILLISECONDS);
      return item instanceof Message message ? message : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  List<Message> readUntil(char type) {
    List<Message> messages = new ArrayList<>();
    while (true) {
      Message message = next(EmulatorTestClient.WAIT_SECONDS * 1000);
      if (message == null) {
        throw new AssertionError("no '" + type + "' message; got " + types(messages));
      }
      messages.add(message);
      if (message.type() == type) {
        return messages;
      }
    }
  }

  static String types(List<Message> messages) {
    StringBuilder types = new StringBuilder();
    messages.forEach(m -> types.append(m.type()));
    return types.toString();
  }

  /** True when the server closed the connection within the wait bound. */
  boolean awaitClosed() {
    try {
      long deadline = System.currentTimeMillis() + EmulatorTestClient.WAIT_SECONDS * 1000;
      while (System.currentTimeMillis() < deadline) {
        Object item = incoming.poll(100, TimeUnit.MILLISECONDS);
        if (item == CLOSED) {
          return true;
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
