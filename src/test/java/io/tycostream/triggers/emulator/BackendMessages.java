package io.tycostream.triggers.emulator;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encoders for the PostgreSQL v3 backend messages the emulator sends. Each method appends one complete message to a
 * buffer. Stateless and thread-safe.
 */
final class BackendMessages {

  static final int FORMAT_TEXT = 0;
  static final int FORMAT_BINARY = 1;

  private BackendMessages() {
  }

  private static int begin(Buffer out, char type) {
    out.appendByte((byte) type);
    int lengthAt = out.length();
    out.appendInt(0);
    return lengthAt;
  }

  private static void end(Buffer out, int lengthAt) {
    out.setInt(lengthAt, out.length() - lengthAt);
  }

  private static void cstring(Buffer out, String value) {
    out.appendBytes(value.getBytes(StandardCharsets.UTF_8));
    out.appendByte((byte) 0);
  }

  static void authentication(Buffer out, int code) {
    int at = begin(out, 'R');
    out.appendInt(code);
    end(out, at);
  }

  static void parameterStatus(Buffer out, String name, String value) {
    int at = begin(out, 'S');
    cstring(out, name);
    cstring(out, value);
    end(out, at);
  }

  static void backendKeyData(Buffer out, int processId, int secret) {
    int at = begin(out, 'K');
    out.appendInt(processId);
    out.appendInt(secret);
    end(out, at);
  }

  static void readyForQuery(Buffer out, char status) {
    int at = begin(out, 'Z');
    out.appendByte((byte) status);
    end(out, at);
  }

  static void rowDescription(Buffer out, List<OutputColumn> columns, int[] formats) {
    int at = begin(out, 'T');
    out.appendShort((short) columns.size());
    for (int i = 0; i < columns.size(); i++) {
      OutputColumn column = columns.get(i);
      cstring(out, column.name());
      out.appendInt(0);
      out.appendShort((short) 0);
      out.appendInt(column.type().oid());
      out.appendShort((short) column.type().typlen());
      out.appendInt(column.typmod());
      out.appendShort((short) (formats == null ? FORMAT_TEXT : formats[i]));
    }
    end(out, at);
  }

  static void dataRow(Buffer out, List<OutputColumn> columns, Object[] values, int[] formats) {
    int at = begin(out, 'D');
    out.appendShort((short) values.length);
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      if (value == null) {
        out.appendInt(-1);
        continue;
      }
      PgType type = columns.get(i).type();
      if (formats != null && formats[i] == FORMAT_BINARY) {
        int lengthAt = out.length();
        out.appendInt(0);
        ValueCodec.appendBinary(out, type, value);
        out.setInt(lengthAt, out.length() - lengthAt - 4);
      } else {
        byte[] bytes = ValueCodec.text(type, value).getBytes(StandardCharsets.UTF_8);
        out.appendInt(bytes.length);
        out.appendBytes(bytes);
      }
    }
    end(out, at);
  }

  static void commandComplete(Buffer out, String tag) {
    int at = begin(out, 'C');
    cstring(out, tag);
    end(out, at);
  }

  static void emptyQueryResponse(Buffer out) {
    end(out, begin(out, 'I'));
  }

  static void parseComplete(Buffer out) { end(out, begin(out, '1')); }

  static void bindComplete(Buffer out) { end(out, begin(out, '2')); }

  static void closeComplete(Buffer out) { end(out, begin(out, '3')); }

  static void noData(Buffer out) { end(out, begin(out, 'n')); }

  static void portalSuspended(Buffer out) { end(out, begin(out, 's')); }

  static void parameterDescription(Buffer out) {
    int at = begin(out, 't');
    out.appendShort((short) 0);
    end(out, at);
  }

  /** ErrorResponse ('E') or NoticeResponse ('N') with severity, SQLSTATE and message fields. */
  static void errorOrNotice(Buffer out, char type, String severity, String sqlState, String message) {
    int at = begin(out, type);
    out.appendByte((byte) 'S');
    cstring(out, severity);
    out.appendByte((byte) 'V');
    cstring(out, severity);
    out.appendByte((byte) 'C');
    cstring(out, sqlState);
    out.appendByte((byte) 'M');
    cstring(out, message);
    out.appendByte((byte) 0);
    end(out, at);
  }

  static void error(Buffer out, PgException e) {
    errorOrNotice(out, 'E', e.fatal() ? "FATAL" : "ERROR", e.sqlState(), e.getMessage());
  }
}
