package io.tycostream.triggers.source;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.bus.EventBusBatchConsumer;
import io.tycostream.triggers.bus.SnapshotRequests;
import io.tycostream.triggers.bus.SourceStatusJson;
import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.source.loadgen.LoadgenOptions;
import io.tycostream.triggers.source.loadgen.LoadgenSource;
import io.tycostream.triggers.source.materialize.SubscribeOptions;
import io.tycostream.triggers.source.materialize.SubscribeReader;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.math.BigInteger;
import java.security.KeyStore;
import java.util.Objects;

/**
 * Runs one configured source: builds its {@link ChangeSource} (the SUBSCRIBE reader or the load generator), hands
 * its batches to the evaluator over the event bus ({@link EventBusBatchConsumer}) and answers status requests on
 * {@link BusAddresses#status(String)} for the health check and snapshot requests on
 * {@link BusAddresses#snapshot(String)} (a trigger's baseline; failures replied with {@link SnapshotRequests} codes)
 * and schema requests on {@link BusAddresses#sourceSchema(String)} (the schema of the last batch it handed over, so
 * the admin API can check a new trigger's conditions; {@link BusAddresses#SCHEMA_NOT_DISCOVERED} before the first).
 * <p>
 * A thin shell: {@code start()} completes once the status consumer is registered and the source is running (it may
 * still be connecting); {@code stop()} stops the source and closes its breakers.
 */
public final class SourceVerticle extends VerticleBase {

  /** Sent as {@code application_name}, so the connection is recognisable in Materialize's session views. */
  public static final String APPLICATION_NAME = "tycostream-triggers";

  private static final Logger LOG = LoggerFactory.getLogger(SourceVerticle.class);

  private final SourceConfig config;
  private EventBusBatchConsumer consumer;
  private ChangeSource source;
  private MessageConsumer<Void> statusConsumer;
  private MessageConsumer<Object> snapshotConsumer;
  private MessageConsumer<Void> schemaConsumer;
  /** Volatile because nothing here promises on which thread a source hands over its batches. */
  private volatile SourceSchema lastSchema;

  public SourceVerticle(SourceConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public Future<?> start() {
    consumer = new EventBusBatchConsumer(vertx, config.name());
    source = createSource(schemaRecording(consumer));
    statusConsumer = vertx.eventBus().consumer(BusAddresses.status(config.name()),
        message -> message.reply(SourceStatusJson.toJson(source.status())));
    snapshotConsumer = vertx.eventBus().consumer(BusAddresses.snapshot(config.name()), this::answerSnapshot);
    schemaConsumer = vertx.eventBus().consumer(BusAddresses.sourceSchema(config.name()), this::answerSchema);
    return Future.all(statusConsumer.completion(), snapshotConsumer.completion(), schemaConsumer.completion())
        .compose(registered -> source.start())
        .onSuccess(started -> LOG.info("source started [source: {}, type: {}]", config.name(),
            config.type().configName()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = source == null ? Future.succeededFuture() : source.stop();
    return stopped
        .eventually(() -> statusConsumer == null ? Future.succeededFuture() : statusConsumer.unregister())
        .eventually(() -> snapshotConsumer == null ? Future.succeededFuture() : snapshotConsumer.unregister())
        .eventually(() -> schemaConsumer == null ? Future.succeededFuture() : schemaConsumer.unregister())
        .onComplete(done -> {
          if (consumer != null) {
            consumer.close();
          }
        });
  }

  /** Remembers the schema of every batch handed to {@code next}, so schema requests see what the evaluator sees. */
  private BatchConsumer schemaRecording(BatchConsumer next) {
    return new BatchConsumer() {
      @Override
      public Future<Void> accept(ChangeBatch batch) {
        lastSchema = batch.schema();
        return next.accept(batch);
      }

      @Override
      public Future<ResumePosition> resumePosition() {
        return next.resumePosition();
      }
    };
  }

  private void answerSchema(Message<Void> request) {
    SourceSchema schema = lastSchema;
    if (schema == null) {
      request.fail(BusAddresses.SCHEMA_NOT_DISCOVERED, "schema of source '" + config.name()
          + "' not discovered yet");
    } else {
      request.reply(schema);
    }
  }

  private void answerSnapshot(Message<Object> request) {
    BigInteger frontier;
    try {
      frontier = parseFrontier(request.body());
    } catch (IllegalArgumentException e) {
      request.fail(SnapshotRequests.BAD_FRONTIER, "snapshot of source " + config.name() + " refused: "
          + e.getMessage());
      return;
    }
    source.snapshotAt(frontier).onComplete(result -> {
      if (result.succeeded()) {
        LOG.info("snapshot taken [source: {}, frontier: {}, rows: {}]", config.name(), frontier,
            result.result().rows().size());
        request.reply(result.result());
      } else {
        LOG.warn("snapshot failed [source: {}, frontier: {}, cause: {}]", config.name(), frontier,
            result.cause().getMessage());
        request.fail(SnapshotRequests.failureCode(result.cause()), "snapshot of source " + config.name()
            + " at frontier " + frontier + " failed: " + result.cause().getMessage());
      }
    });
  }

  /** A frontier sent as a decimal string, or as a {@code BigInteger} through a local codec. */
  private static BigInteger parseFrontier(Object body) {
    BigInteger frontier;
    if (body instanceof BigInteger value) {
      frontier = value;
    } else if (body instanceof String text) {
      try {
        frontier = new BigInteger(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("frontier '" + text + "' is not a decimal number");
      }
    } else {
      throw new IllegalArgumentException("a frontier (decimal string) is required, got "
          + (body == null ? "nothing" : body.getClass().getSimpleName()));
    }
    if (frontier.signum() <= 0) {
      throw new IllegalArgumentException("frontier " + frontier + " is not positive");
    }
    return frontier;
  }

  private ChangeSource createSource(BatchConsumer consumer) {
    SourceStatusListener listener = status -> LOG.info("source state [source: {}, state: {}, failure: {}]",
        status.source(), status.state(),
        status.lastFailure() == null ? "none" : status.lastFailure().message());
    return switch (config.type()) {
      case LOADGEN -> new LoadgenSource(vertx, config.name(), loadgenOptions(config.loadgen()), consumer, listener);
      case MATERIALIZE -> new SubscribeReader(vertx, subscribeOptions(config), consumer, listener);
    };
  }

  /** Maps a validated {@code loadgen} source to the generator's options. */
  static LoadgenOptions loadgenOptions(LoadgenConfig loadgen) {
    return new LoadgenOptions().setEntities(loadgen.entities()).setIntervalMs(loadgen.intervalMs())
        .setChangesPerTick(loadgen.changesPerTick()).setSeed(loadgen.seed());
  }

  /** Maps a validated {@code materialize} source to the reader's options. */
  static SubscribeOptions subscribeOptions(SourceConfig config) {
    MaterializeConfig mz = config.materialize();
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(mz.host())
        .setPort(mz.port())
        .setDatabase(mz.database())
        .setUser(mz.user())
        .setSslMode(SslMode.of(mz.sslMode()));
    if (mz.password() != null) {
      connect.setPassword(mz.password());
    }
    ClientSSLOptions ssl = sslOptions(connect.getSslMode());
    if (ssl != null) {
      connect.setSslOptions(ssl);
    }
    connect.addProperty("application_name", APPLICATION_NAME);
    if (mz.cluster() != null) {
      // Materialize applies startup options as session variables (materialize-subscribe.md §6.1)
      connect.addProperty("options", "--cluster=" + mz.cluster());
    }
    return new SubscribeOptions()
        .setSource(config.name())
        .setConnectOptions(connect)
        .setView(config.view())
        .setKeyColumns(config.keyColumns());
  }

  /**
   * TLS settings with libpq's meaning of each mode: {@code prefer}/{@code require} encrypt without checking the
   * certificate, {@code verify-ca} checks it against the JVM's trusted CAs, {@code verify-full} also checks the
   * host name.
   */
  private static ClientSSLOptions sslOptions(SslMode mode) {
    return switch (mode) {
      case DISABLE -> null;
      case ALLOW, PREFER, REQUIRE -> new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
      case VERIFY_CA -> new ClientSSLOptions().setTrustOptions(jvmTrust()).setHostnameVerificationAlgorithm("");
      case VERIFY_FULL -> new ClientSSLOptions().setTrustOptions(jvmTrust()).setHostnameVerificationAlgorithm("HTTPS");
    };
  }

  private static TrustOptions jvmTrust() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      return TrustOptions.wrap(factory);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM's default trust store cannot be loaded", e);
    }
  }
}
