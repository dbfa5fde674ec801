package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of a paged list: base64url (no padding) of the last name of the previous page. Clients
 * pass back what {@code next_cursor} gave them and never build one; the encoding may change. Stateless.
 */
final class PageCursor {

  static final String PARAMETER = "cursor";
  /** Longer cursors are malformed without decoding (names are far shorter). */
  private static final int MAX_CURSOR_CHARS = 1_024;

  private PageCursor() {
  }

  /** The cursor of the page after {@code lastName}, or {@code null} when no page follows. */
  static String after(String lastName) {
    return lastName == null ? null
        : Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The last name a {@code cursor} parameter stands for, or {@code null} (first page) when absent or empty.
   *
   * @throws ServiceException {@code invalid_field} naming {@value #PARAMETER} when it is not one this API gave
   */
  static String lastName(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      if (cursor.length() > MAX_CURSOR_CHARS) {
        throw new IllegalArgumentException("too long");
      }
      byte[] bytes = Base64.getUrlDecoder().decode(cursor);
      String name = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty");
      }
      return name;
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "cursor is malformed: pass back the next_cursor of the "
          + "previous page unchanged, or leave it out for the first page", PARAMETER);
    }
  }
}
