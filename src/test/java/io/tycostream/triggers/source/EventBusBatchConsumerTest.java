package io.tycostream.triggers.source;

import io.tycostream.triggers.bus.BusAddresses;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that batches and resume positions travel the bus by reference and that a silent consumer times out. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventBusBatchConsumerTest {

  private static final ChangeBatch BATCH = new ChangeBatch("orders", BigInteger.TEN, List.of(), false,
      new SourceSchema(List.of(), List.of()));

  /** Verifies that the evaluator receives the very batch object and its resume position reaches the source. */
  @Test
  void deliversBatchesAndResumePositions(Vertx vertx, VertxTestContext test) {
    // GIVEN codecs registered and an evaluator that answers both addresses
    SourceCodecs.register(vertx.eventBus());
    vertx.eventBus().<ChangeBatch>consumer(BusAddresses.batches("orders"), message -> {
      test.verify(() -> assertThat(message.body()).isSameAs(BATCH));
      message.reply(null);
    });
    vertx.eventBus().consumer(BusAddresses.resumePosition("orders"),
        message -> message.reply(ResumePosition.after(BigInteger.TEN)));
    EventBusBatchConsumer consumer = new EventBusBatchConsumer(vertx, "orders");

    // WHEN a batch is accepted and the resume position asked
    consumer.accept(BATCH)
        .compose(accepted -> consumer.resumePosition())
        .onComplete(test.succeeding(position -> test.verify(() -> {
          // THEN the position is the evaluator's
          assertThat(position).isEqualTo(ResumePosition.after(BigInteger.TEN));
          consumer.close();
          test.completeNow();
        })));
  }

  /** Verifies that an evaluator that never replies fails the accept after the explicit timeout. */
  @Test
  void failsAcceptWhenTheEvaluatorDoesNotReply(Vertx vertx, VertxTestContext test) {
    // GIVEN an evaluator that swallows batches and a 200 ms accept timeout
    SourceCodecs.register(vertx.eventBus());
    vertx.eventBus().consumer(BusAddresses.batches("orders"), message -> { });
    EventBusBatchConsumer consumer = new EventBusBatchConsumer(vertx, "orders", Duration.ofMillis(200),
        Duration.ofMillis(200));
    long sentAt = System.nanoTime();

    // WHEN a batch is handed over
    consumer.accept(BATCH).onComplete(test.failing(failure -> test.verify(() -> {
      // THEN it fails after about the timeout, not later
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
      assertThat(elapsedMs).isBetween(150L, 5_000L);
      consumer.close();
      test.completeNow();
    })));
  }

  /**
   * Verifies that refusals the evaluator answers (a failed commit: "resume from the checkpoint") reach the source
   * each time and never open the circuit breaker, which is kept for an evaluator that is absent or silent.
   */
  @Test
  void answeredRefusalsDoNotOpenTheBreaker(Vertx vertx, VertxTestContext test) {
    // GIVEN an evaluator that refuses every batch
    SourceCodecs.register(vertx.eventBus());
    vertx.eventBus().consumer(BusAddresses.batches("orders"), message -> message.fail(500, "resume from checkpoint"));
    EventBusBatchConsumer consumer = new EventBusBatchConsumer(vertx, "orders");

    // WHEN more batches than the breaker's failure threshold are handed over, one after the other
    Future<Void> chain = Future.succeededFuture();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < EventBusBatchConsumer.MAX_FAILURES * 2; i++) {
      chain = chain.transform(previous -> consumer.accept(BATCH)
          .recover(failure -> {
            failures.add(failure.getMessage());
            return Future.succeededFuture();
          }));
    }
    chain.onComplete(test.succeeding(done -> test.verify(() -> {
      // THEN every one failed with the evaluator's own refusal, none with an open circuit
      assertThat(failures).hasSize(EventBusBatchConsumer.MAX_FAILURES * 2).containsOnly("resume from checkpoint");
      consumer.close();
      test.completeNow();
    })));
  }
}
