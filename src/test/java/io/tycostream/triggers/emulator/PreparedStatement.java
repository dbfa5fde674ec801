package io.tycostream.triggers.emulator;

/**
 * A statement prepared with Parse; a null statement is the empty query.
 *
 * @param sql original text
 * @param statement parsed statement or null
 */
record PreparedStatement(String sql, Statement statement) {
}
