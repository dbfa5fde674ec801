package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.source.SourceStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Test fixture: a Materialize emulator (manual clock unless asked otherwise) with an
 * {@code items(id int4, name text, qty numeric)} table, a
 * {@link RecordingBatchConsumer}, and a {@link SubscribeReader} with short timeouts whose statuses are recorded.
 * Blocking helpers are for the JUnit thread only.
 */
final class ReaderHarness {

  /** Manual clock start; the table is created at T0, so its upper starts at T0 + 1. */
  static final long T0 = 1_000_000L;
  static final SourceSchema ITEMS_SCHEMA = new SourceSchema(List.of(
      new SourceColumn("id", ColumnType.INTEGER, "int4"),
      new SourceColumn("name", ColumnType.TEXT, "text"),
      new SourceColumn("qty", ColumnType.NUMERIC, "numeric")), List.of("id"));

  final Vertx vertx;
  final MaterializeEmulator emulator;
  final RecordingBatchConsumer consumer;
  final List<SourceStatus> statuses = new CopyOnWriteArrayList<>();
  SubscribeReader reader;

  private ReaderHarness(Vertx vertx, MaterializeEmulator emulator) {
    this.vertx = vertx;
    this.emulator = emulator;
    this.consumer = new RecordingBatchConsumer(vertx);
  }

  static ReaderHarness start(Vertx vertx, EmulatorOptions options) {
    return startWithClockOf(vertx, options.setTickMs(0).setStartTime(T0));
  }

  /** Like {@link #start} but keeps the options' clock (e.g. the wall clock with its ticker). */
  static ReaderHarness startWithClockOf(Vertx vertx, EmulatorOptions options) {
    MaterializeEmulator emulator = await(MaterializeEmulator.start(vertx, options));
    emulator.createTable("items", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("name", PgType.TEXT),
        EmulatorColumn.of("qty", PgType.NUMERIC));
    return new ReaderHarness(vertx, emulator);
  }

  /** Options with short timeouts so failures and retries show up within milliseconds. */
  SubscribeOptions options() {
    return new SubscribeOptions()
        .setSource("items-source")
        .setConnectOptions(emulator.connectOptions())
        .setView("items")
        .setKeyColumns(List.of("id"))
        .setInitialBackoff(Duration.ofMillis(20))
        .setMaxBackoff(Duration.ofMillis(200))
        .setSlowRetry(Duration.ofMillis(100))
        .setKeepAliveInterval(Duration.ofMillis(300))
        .setStallTimeout(Duration.ofSeconds(5))
        .setCloseTimeout(Duration.ofMillis(500))
        .setConnectTimeout(Duration.ofSeconds(5))
        .setConsumerRetryDelay(Duration.ofMillis(50));
  }

  SubscribeReader startReader(SubscribeOptions options) {
    reader = new SubscribeReader(vertx, options, consumer, statuses::add);
    await(reader.start());
    return reader;
  }

  void stopReader() {
    if (reader != null) {
      await(reader.stop());
    }
  }

  void close() {
    stopReader();
    await(emulator.stop());
  }

  List<ChangeBatch> awaitBatches(int count) throws InterruptedException {
    return consumer.awaitBatches(b -> b.size() >= count, Duration.ofSeconds(10));
  }

  boolean sawState(SourceState state) {
    return statuses.stream().anyMatch(s -> s.state() == state);
  }

  static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete", e);
    }
  }

  static Object[] item(int id, String name, String qty) {
    return new Object[] {id, name, new BigDecimal(qty)};
  }

  static Change upsert(int id, String name, String qty, long timestamp) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", (long) id);
    row.put("name", name);
    row.put("qty", new BigDecimal(qty));
    return Change.upsert(List.of((long) id), row, BigInteger.valueOf(timestamp));
  }

  static Change delete(int id, long timestamp) {
    return Change.delete(List.of((long) id), BigInteger.valueOf(timestamp));
  }

  static ChangeBatch batch(long frontier, boolean snapshot, Change... changes) {
    return new ChangeBatch("items-source", BigInteger.valueOf(frontier), List.of(changes), snapshot, ITEMS_SCHEMA);
  }
}
