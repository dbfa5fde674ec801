package io.tycostream.triggers.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Where an event's computed-field errors travel between the evaluator and the payload: as the last member, named
 * {@value #MEMBER}, of the stored {@code data} JSON, which {@link #split} takes out again so the payload carries them
 * as its own {@code errors} array beside {@code data}.
 * <p>
 * Keeping them inside the stored data text means the outbox needs no new column and a replayed commit stores the
 * same text. The split works on the text (character offsets of the parser's tokens), so the data's numbers keep
 * every digit. A data text without the member (every event without computed errors) is returned as is, after one
 * {@code String.contains}. Pure and thread-safe.
 */
public final class ComputedErrorsMember {

  /** The member name; computed field names ({@code [a-z_][a-z0-9_]*}) cannot take it. */
  public static final String MEMBER = "$errors";
  private static final String QUOTED = "\"" + MEMBER + "\"";

  private ComputedErrorsMember() {
  }

  /**
   * The data and the errors of a stored data text.
   *
   * @param data   the data object's JSON text, without the errors member
   * @param errors the errors array's JSON text, or {@code null} when there were none
   */
  public record Split(String data, String errors) {
  }

  /** Splits {@code dataJson} into the data object and the errors array it carries last, if any. */
  public static Split split(String dataJson) {
    if (dataJson == null || !dataJson.contains(QUOTED)) {
      return new Split(dataJson, null);
    }
    try (JsonParser parser = JsonMappers.writer().createParser(dataJson)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return new Split(dataJson, null);
      }
      long memberStart = -1;
      long valueStart = -1;
      long valueEnd = -1;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean errors = MEMBER.equals(parser.currentName());
        long nameAt = parser.currentTokenLocation().getCharOffset();
        parser.nextToken();
        long valueAt = parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        if (errors) {
          memberStart = nameAt;
          valueStart = valueAt;
          valueEnd = parser.currentLocation().getCharOffset();
        } else {
          memberStart = -1;
        }
      }
      if (memberStart < 0) {
        // absent, or not the last member: then it is a column of that name, not ours
        return new Split(dataJson, null);
      }
      String before = dataJson.substring(0, (int) memberStart).stripTrailing();
      if (before.endsWith(",")) {
        before = before.substring(0, before.length() - 1);
      }
      return new Split(before + "}", dataJson.substring((int) valueStart, (int) valueEnd));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read event data", e);
    }
  }
}
