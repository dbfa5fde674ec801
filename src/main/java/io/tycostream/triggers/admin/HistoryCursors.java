package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.EventPage;
import io.tycostream.triggers.store.EventQuery;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor}s of the history, audit and matches pages: base64url (no padding) of a kind letter and the
 * position after which the next page starts ({@code e<created_at>.<seq>} for events, {@code a<id>} for audit
 * entries, {@code k<key>} for matched keys). Clients pass back {@code next_cursor} unchanged; the form may change.
 * A cursor of one list is refused by another (400 naming {@code cursor}). Stateless.
 */
final class HistoryCursors {

  private static final int MAX_CURSOR_CHARS = 16 * 1024;

  private HistoryCursors() {
  }

  static String ofEvent(EventPage.Position next) {
    return next == null ? null : encode("e" + next.createdAtMs() + "." + next.sequence());
  }

  /** The position a cursor stands for, {@link EventQuery#FIRST_PAGE} when absent. */
  static EventPage.Position event(String cursor) {
    String text = decode(cursor, 'e');
    if (text == null) {
      return EventQuery.FIRST_PAGE;
    }
    int dot = text.indexOf('.');
    try {
      return new EventPage.Position(Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
    } catch (RuntimeException e) {
      throw malformed();
    }
  }

  static String ofAudit(Long lastId) {
    return lastId == null ? null : encode("a" + lastId);
  }

  /** The id below which the page starts, {@code null} when absent. */
  static Long audit(String cursor) {
    String text = decode(cursor, 'a');
    try {
      return text == null ? null : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw malformed();
    }
  }

  static String ofKey(String lastKey) {
    return lastKey == null ? null : encode("k" + lastKey);
  }

  /** The key after which the page starts, {@code null} when absent. */
  static String key(String cursor) {
    return decode(cursor, 'k');
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor, char kind) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      if (cursor.length() > MAX_CURSOR_CHARS) {
        throw malformed();
      }
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor))).toString();
      if (text.length() < 2 || text.charAt(0) != kind) {
        throw malformed();
      }
      return text.substring(1);
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw malformed();
    }
  }

  private static ServiceException malformed() {
    return new ServiceException(ErrorCode.INVALID_FIELD, "cursor is malformed: pass back the next_cursor of the "
        + "previous page unchanged, or leave it out for the first page", PageCursor.PARAMETER);
  }
}
