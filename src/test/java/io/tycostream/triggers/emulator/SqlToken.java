package io.tycostream.triggers.emulator;

/**
 * A lexical token of the emulator's SQL subset.
 *
 * @param kind token class
 * @param text lower-cased for words, exact for quoted identifiers and strings, the character for symbols
 */
record SqlToken(Kind kind, String text) {

  enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, SYMBOL }

  boolean isWord(String word) {
    return kind == Kind.WORD && text.equals(word);
  }

  boolean isSymbol(char symbol) {
    return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == symbol;
  }

  boolean isIdentifier() {
    return kind == Kind.WORD || kind == Kind.QUOTED_IDENT;
  }
}
