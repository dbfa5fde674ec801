package io.tycostream.triggers.emulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the emulator's SQL subset: transactions, SET/RESET/SHOW, DECLARE … CURSOR FOR
 * SUBSCRIBE, FETCH and CLOSE. Syntax errors raise 42601; statements outside the subset become
 * {@link Statement.Unsupported}. One instance parses one statement; not thread-safe.
 */
final class StatementParser {

  private final List<SqlToken> tokens;
  private int position;

  private StatementParser(List<SqlToken> tokens) {
    this.tokens = tokens;
  }

  /** Parses every statement of a query string. */
  static List<Statement> parseAll(String sql) {
    List<Statement> statements = new ArrayList<>();
    for (List<SqlToken> tokens : SqlLexer.statements(sql)) {
      statements.add(new StatementParser(tokens).statement());
    }
    return statements;
  }

  private Statement statement() {
    SqlToken first = next();
    String word = first.kind() == SqlToken.Kind.WORD ? first.text() : "";
    switch (word) {
      case "begin":
        return new Statement.Begin();
      case "start":
        expectWord("transaction");
        return new Statement.Begin();
      case "commit": case "end":
        return new Statement.Commit();
      case "rollback": case "abort":
        return new Statement.Rollback();
      case "set":
        return set();
      case "reset":
        return reset();
      case "show":
        return show();
      case "declare":
        return declare();
      case "fetch":
        return fetch();
      case "close":
        return close();
      case "subscribe":
        return new Statement.Subscribe(subscribe());
      default:
        return new Statement.Unsupported(first.text().toUpperCase(java.util.Locale.ROOT));
    }
  }

  private Statement set() {
    if (acceptWord("session")) {
      // SET SESSION x = y is the same as SET x = y
    } else if (acceptWord("local")) {
      // transaction-local settings are treated as session settings
    }
    if (acceptWord("transaction") || peekWord("characteristics")) {
      return new Statement.NoOp("SET");
    }
    String name;
    if (acceptWord("time")) {
      expectWord("zone");
      name = "timezone";
    } else {
      name = identifier();
      if (!acceptSymbol('=')) {
        expectWord("to");
      }
    }
    if (acceptWord("default")) {
      return new Statement.SetVariable(name, null);
    }
    StringBuilder value = new StringBuilder();
    do {
      SqlToken token = next();
      if (value.length() > 0) {
        value.append(", ");
      }
      value.append(token.text());
    } while (acceptSymbol(','));
    expectEnd();
    return new Statement.SetVariable(name, value.toString());
  }

  private Statement reset() {
    if (acceptWord("all")) {
      return new Statement.ResetVariable(null);
    }
    return new Statement.ResetVariable(identifier());
  }

  private Statement show() {
    if (acceptWord("time")) {
      expectWord("zone");
      return new Statement.ShowVariable("timezone");
    }
    if (acceptWord("transaction")) {
      expectWord("isolation");
      expectWord("level");
      return new Statement.ShowVariable("transaction_isolation");
    }
    String name = identifier();
    expectEnd();
    return new Statement.ShowVariable(name);
  }

  private Statement declare() {
    String cursor = identifier();
    acceptWord("no");
    acceptWord("scroll");
    expectWord("cursor");
    if (acceptWord("without")) {
      expectWord("hold");
    }
    expectWord("for");
    if (!acceptWord("subscribe")) {
      return new Statement.Unsupported("DECLARE CURSOR for anything but SUBSCRIBE");
    }
    return new Statement.Declare(cursor, subscribe());
  }

  private SubscribeSpec subscribe() {
    acceptWord("to");
    String object;
    if (acceptSymbol('(')) {
      expectWord("select");
      expectSymbol('*');
      expectWord("from");
      object = objectName();
      expectSymbol(')');
    } else {
      object = objectName();
    }
    List<String> keys = null;
    boolean progress = false;
    boolean snapshot = true;
    Long asOf = null;
    boolean atLeast = false;
    Long upTo = null;
    while (position < tokens.size()) {
      if (acceptWord("envelope")) {
        expectWord("upsert");
        expectSymbol('(');
        expectWord("key");
        expectSymbol('(');
        keys = new ArrayList<>();
        do {
          keys.add(identifier());
        } while (acceptSymbol(','));
        expectSymbol(')');
        expectSymbol(')');
      } else if (acceptWord("with")) {
        expectSymbol('(');
        do {
          String option = identifier();
          boolean value = true;
          if (acceptSymbol('=')) {
            value = booleanValue();
          } else if (!peekSymbol(',') && !peekSymbol(')')) {
            value = booleanValue();
          }
          if (option.equals("progress")) {
            progress = value;
          } else if (option.equals("snapshot")) {
            snapshot = value;
          } else {
            throw syntax("unexpected SUBSCRIBE option " + option.toUpperCase(java.util.Locale.ROOT));
          }
        } while (acceptSymbol(','));
        expectSymbol(')');
      } else if (acceptWord("as")) {
        expectWord("of");
        if (acceptWord("at")) {
          expectWord("least");
          atLeast = true;
        }
        asOf = timestamp();
      } else if (acceptWord("up")) {
        expectWord("to");
        upTo = timestamp();
      } else {
        throw syntax("Expected end of statement, found " + peek().text());
      }
    }
    return new SubscribeSpec(object, keys, progress, snapshot, asOf, atLeast, upTo);
  }

  private long timestamp() {
    SqlToken token = next();
    String text = token.text();
    if (token.kind() == SqlToken.Kind.NUMBER || token.kind() == SqlToken.Kind.STRING) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        throw new PgException("22023", "invalid timestamp " + text);
      }
    }
    throw new PgException("0A000", "emulator supports only integer literals as timestamps, found " + text);
  }

  private boolean booleanValue() {
    SqlToken token = next();
    switch (token.text().toLowerCase(java.util.Locale.ROOT)) {
      case "true": case "on": case "t": case "yes": case "1": return true;
      case "false": case "off": case "f": case "no": case "0": return false;
      default: throw syntax("invalid boolean " + token.text());
    }
  }

  private Statement fetch() {
    acceptWord("forward");
    Long count = 1L;
    if (peekKind(SqlToken.Kind.NUMBER)) {
      count = Long.parseLong(next().text());
      if (count < 0) {
        throw new PgException("0A000", "FETCH BACKWARD not supported");
      }
    } else if (acceptWord("all")) {
      count = null;
    }
    if (!acceptWord("from")) {
      acceptWord("in");
    }
    String cursor = identifier();
    Long timeoutMs = null;
    if (acceptWord("with")) {
      expectSymbol('(');
      String option = identifier();
      if (!option.equals("timeout")) {
        throw syntax("unexpected FETCH option " + option);
      }
      expectSymbol('=');
      SqlToken value = next();
      timeoutMs = IntervalParser.toMillis(value.text(), 1000);
      if (timeoutMs < 0 || timeoutMs > 86_400_000L) {
        throw new PgException("22023", "timeout out of range");
      }
      expectSymbol(')');
    }
    expectEnd();
    return new Statement.Fetch(cursor, count, timeoutMs);
  }

  private Statement close() {
    if (acceptWord("all")) {
      return new Statement.CloseCursor(null);
    }
    String cursor = identifier();
    expectEnd();
    return new Statement.CloseCursor(cursor);
  }

  private String objectName() {
    StringBuilder name = new StringBuilder(identifier());
    String last = name.toString();
    while (acceptSymbol('.')) {
      last = identifier();
      name.append('.').append(last);
    }
    return last;
  }

  private String identifier() {
    SqlToken token = next();
    if (!token.isIdentifier()) {
      throw syntax("Expected identifier, found " + token.text());
    }
    return token.text();
  }

  private SqlToken peek() {
    return position < tokens.size() ? tokens.get(position) : new SqlToken(SqlToken.Kind.SYMBOL, "end of input");
  }

  private SqlToken next() {
    if (position >= tokens.size()) {
      throw syntax("unexpected end of input");
    }
    return tokens.get(position++);
  }

  private boolean peekWord(String word) {
    return position < tokens.size() && tokens.get(position).isWord(word);
  }

  private boolean peekSymbol(char symbol) {
    return position < tokens.size() && tokens.get(position).isSymbol(symbol);
  }

  private boolean peekKind(SqlToken.Kind kind) {
    return position < tokens.size() && tokens.get(position).kind() == kind;
  }

  private boolean acceptWord(String word) {
    if (peekWord(word)) {
      position++;
      return true;
    }
    return false;
  }

  private boolean acceptSymbol(char symbol) {
    if (peekSymbol(symbol)) {
      position++;
      return true;
    }
    return false;
  }

  private void expectWord(String word) {
    if (!acceptWord(word)) {
      throw syntax("Expected " + word.toUpperCase(java.util.Locale.ROOT) + ", found " + peek().text());
    }
  }

  private void expectSymbol(char symbol) {
    if (!acceptSymbol(symbol)) {
      throw syntax("Expected " + symbol + ", found " + peek().text());
    }
  }

  private void expectEnd() {
    if (position < tokens.size()) {
      throw syntax("Expected end of statement, found " + peek().text());
    }
  }

  private static PgException syntax(String message) {
    return new PgException("42601", message);
  }
}
