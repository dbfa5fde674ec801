package io.tycostream.triggers.emulator;

/**
 * The statements the emulator understands. Anything else parses to {@link Unsupported} and is answered with 0A000.
 */
sealed interface Statement {

  record Begin() implements Statement { }

  record Commit() implements Statement { }

  record Rollback() implements Statement { }

  /** SET name = value; a null value means DEFAULT. */
  record SetVariable(String name, String value) implements Statement { }

  /** RESET name; a null name means RESET ALL. */
  record ResetVariable(String name) implements Statement { }

  record ShowVariable(String name) implements Statement { }

  record Declare(String cursor, SubscribeSpec subscribe) implements Statement { }

  /** A plain SUBSCRIBE streamed as an ordinary query (spec §2.3). */
  record Subscribe(SubscribeSpec subscribe) implements Statement { }

  /** FETCH; a null count means ALL, a null timeout means wait once. */
  record Fetch(String cursor, Long count, Long timeoutMs) implements Statement { }

  /** CLOSE cursor; a null cursor means CLOSE ALL. */
  record CloseCursor(String cursor) implements Statement { }

  /** A statement that does nothing but answer with a tag (SET TRANSACTION …). */
  record NoOp(String tag) implements Statement { }

  record Unsupported(String description) implements Statement { }
}
