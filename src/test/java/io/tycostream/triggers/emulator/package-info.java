/**
 * A test-only PostgreSQL-wire server that behaves like Materialize for {@code DECLARE … CURSOR FOR SUBSCRIBE} /
 * {@code FETCH} (spec: /work/shared/materialize-subscribe.md §10), plus its conformance tests.
 *
 * <p>Entry point: {@link io.tycostream.triggers.emulator.MaterializeEmulator}. Layout: {@code PgSession} (startup,
 * auth, message queue, idle timer, cancel) → {@code ProtocolHandler} (simple/extended protocol) →
 * {@code StatementExecutor} (transaction state machine, cursors) → {@code FetchOperation} (FETCH wait semantics) on
 * a {@code SubscribeEngine} (AS OF selection, batches, progress) fed by the {@code Catalog} (objects, clock, since,
 * error profile). {@code SubscribeOutput} builds rows (§1.3–§1.5); {@code ValueCodec} encodes values.
 */
package io.tycostream.triggers.emulator;
