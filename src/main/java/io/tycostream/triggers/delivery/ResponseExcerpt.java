package io.tycostream.triggers.delivery;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;

/**
 * The first bytes of a webhook answer's body, kept for the attempt record: at most {@code maxBytes} are copied, the
 * rest of the body is dropped as it arrives. {@link #text()} decodes them as UTF-8 with invalid or cut sequences
 * replaced by U+FFFD. Not thread-safe: fed by one response's handler.
 */
final class ResponseExcerpt {

  private final byte[] kept;
  private int length;

  ResponseExcerpt(int maxBytes) {
    this.kept = new byte[maxBytes];
  }

  /** Copies what still fits of {@code chunk}. */
  void append(Buffer chunk) {
    int take = Math.min(kept.length - length, chunk.length());
    if (take > 0) {
      chunk.getBytes(0, take, kept, length);
      length += take;
    }
  }

  /** The kept bytes as text, {@code null} for an empty body. */
  String text() {
    if (length == 0) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(kept, 0, length)).toString();
    } catch (CharacterCodingException e) {
      // REPLACE never reports
      throw new IllegalStateException(e);
    }
  }
}
