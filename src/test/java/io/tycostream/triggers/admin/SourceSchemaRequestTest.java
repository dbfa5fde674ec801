package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.EventBusErrors;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceCodecs;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.source.loadgen.PositionsGenerator;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.testkit.SourceUnits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies that a running source verticle answers {@code source.<name>.schema}: 503 before its first batch, then the
 * schema of the batches it hands over, which is what the admin API compiles conditions against.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SourceSchemaRequestTest {

  @TempDir
  Path dataDir;

  /** Verifies the answer before and after the loadgen source handed over its first batch. */
  @Test
  void answersWithTheSchemaOfTheBatchesOnceTheFirstWasHandedOver(Vertx vertx) throws InterruptedException {
    // GIVEN a loadgen source whose consumer holds back the resume position, so no batch flows yet
    SourceCodecs.register(vertx.eventBus());
    Promise<Void> letItFlow = Promise.promise();
    vertx.eventBus().<Object>consumer(BusAddresses.resumePosition("positions"),
        m -> letItFlow.future().onSuccess(go -> m.reply(ResumePosition.snapshot())));
    vertx.eventBus().<ChangeBatch>consumer(BusAddresses.batches("positions"), m -> m.reply(null));
    SourceConfig config = new SourceConfig("positions", SourceType.LOADGEN, null, List.of("account"),
        new LoadgenConfig(5, 50, 2, 7), null);
    await(vertx.deployVerticle(SourceUnits.reader(config)));

    // WHEN the schema is asked before the first batch
    Future<Message<SourceSchema>> early = vertx.eventBus().request(BusAddresses.sourceSchema("positions"), null);

    // THEN the answer is a source_not_ready failure (HTTP-like 503)
    assertThatThrownBy(() -> early.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(503);
          assertThat(EventBusErrors.toServiceException(e, "source").code()).isEqualTo(ErrorCode.SOURCE_NOT_READY);
        });

    // AND WHEN batches flow and the admin side asks again (bounded wait for the first hand-over)
    letItFlow.complete();
    Store store = AdminApiFixture.openStore(vertx, dataDir);
    TriggerRegistration registration = new TriggerRegistration(vertx, store, List.of("positions"), WebhookTargetPolicy.strict());
    SourceSchema schema = null;
    for (int i = 0; i < 100 && schema == null; i++) {
      schema = registration.schemaOf("positions").toCompletionStage().toCompletableFuture()
          .handle((found, failure) -> found).join();
      if (schema == null) {
        Thread.sleep(50);
      }
    }

    // THEN it is the generator's schema
    assertThat(schema).isEqualTo(PositionsGenerator.SCHEMA);
    await(store.close());
  }
}
