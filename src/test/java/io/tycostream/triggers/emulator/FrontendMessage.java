package io.tycostream.triggers.emulator;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * One framed frontend message: its type byte (0 for the untyped startup-phase messages) and body, with a cursor for
 * reading the body's fields. Not thread-safe; used on the session's event loop only.
 */
final class FrontendMessage {

  final char type;
  final Buffer body;
  private int position;

  FrontendMessage(char type, Buffer body) {
    this.type = type;
    this.body = body;
  }

  int readInt() {
    int value = body.getInt(position);
    position += 4;
    return value;
  }

  short readShort() {
    short value = body.getShort(position);
    position += 2;
    return value;
  }

  byte readByte() {
    return body.getByte(position++);
  }

  Buffer readBytes(int length) {
    Buffer value = body.getBuffer(position, position + length);
    position += length;
    return value;
  }

  String readCString() {
    int end = position;
    while (end < body.length() && body.getByte(end) != 0) {
      end++;
    }
    String value = body.getString(position, end, StandardCharsets.UTF_8.name());
    position = Math.min(end + 1, body.length());
    return value;
  }

  boolean hasMore() {
    return position < body.length();
  }
}
