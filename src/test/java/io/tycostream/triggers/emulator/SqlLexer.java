package io.tycostream.triggers.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a query string into statements (on ';' outside quotes and comments) and each statement into tokens.
 * Unquoted words are folded to lower case like PostgreSQL identifiers. Stateless and thread-safe.
 */
final class SqlLexer {

  private SqlLexer() {
  }

  /** Token lists of the non-empty statements of {@code sql}, in order. */
  static List<List<SqlToken>> statements(String sql) {
    List<List<SqlToken>> statements = new ArrayList<>();
    List<SqlToken> current = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == ';') {
        if (!current.isEmpty()) {
          statements.add(current);
          current = new ArrayList<>();
        }
        i++;
      } else if (c == '\'' || ((c == 'e' || c == 'E') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
        int start = c == '\'' ? i + 1 : i + 2;
        StringBuilder text = new StringBuilder();
        int j = start;
        while (true) {
          if (j >= n) {
            throw new PgException("42601", "unterminated quoted string");
          }
          char d = sql.charAt(j);
          if (d == '\'') {
            if (j + 1 < n && sql.charAt(j + 1) == '\'') {
              text.append('\'');
              j += 2;
              continue;
            }
            break;
          }
          text.append(d);
          j++;
        }
        current.add(new SqlToken(SqlToken.Kind.STRING, text.toString()));
        i = j + 1;
      } else if (c == '"') {
        StringBuilder text = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= n) {
            throw new PgException("42601", "unterminated quoted identifier");
          }
          char d = sql.charAt(j);
          if (d == '"') {
            if (j + 1 < n && sql.charAt(j + 1) == '"') {
              text.append('"');
              j += 2;
              continue;
            }
            break;
          }
          text.append(d);
          j++;
        }
        current.add(new SqlToken(SqlToken.Kind.QUOTED_IDENT, text.toString()));
        i = j + 1;
      } else if (Character.isDigit(c) || (c == '-' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        int j = i + 1;
        while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
          j++;
        }
        current.add(new SqlToken(SqlToken.Kind.NUMBER, sql.substring(i, j)));
        i = j;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
          j++;
        }
        current.add(new SqlToken(SqlToken.Kind.WORD, sql.substring(i, j).toLowerCase(Locale.ROOT)));
        i = j;
      } else {
        current.add(new SqlToken(SqlToken.Kind.SYMBOL, String.valueOf(c)));
        i++;
      }
    }
    if (!current.isEmpty()) {
      statements.add(current);
    }
    return statements;
  }
}
