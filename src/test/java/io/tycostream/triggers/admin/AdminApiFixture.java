package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TargetAllowList;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.AdminConfig;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.EventBusErrors;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceCodecs;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A running admin API for tests: a real SQLite store in a temporary directory, the {@link AdminVerticle} on an
 * ephemeral loopback port, and a stand-in for the source verticles' schema answers (the schema provider is an
 * independent component): {@value #READY} answers {@link #SCHEMA}, {@value #NOT_READY} answers "not discovered yet",
 * {@value #SILENT} has no verticle at all. Every {@code triggers.changed} message is collected in {@link #changes}.
 * <p>
 * Its methods block the calling test thread (never an event loop) until the answer arrives.
 */
final class AdminApiFixture implements AutoCloseable {

  static final String READY = "positions";
  static final String NOT_READY = "orders";
  static final String SILENT = "ticks";
  static final List<String> SOURCES = List.of(READY, NOT_READY, SILENT);

  /** The test's own schema: what the stand-in source "discovered". */
  static final SourceSchema SCHEMA = new SourceSchema(List.of(
      new SourceColumn("account", ColumnType.TEXT, "text"),
      new SourceColumn("quantity", ColumnType.NUMERIC, "numeric"),
      new SourceColumn("active", ColumnType.BOOLEAN, "bool")), List.of("account"));

  final Vertx vertx;
  final Path dataDir;
  final List<JsonObject> changes = new CopyOnWriteArrayList<>();
  private final boolean allowPrivateTargets;
  private final boolean demoReceiver;
  private final AdminConfig config;
  private final WebClient client;
  Store store;
  private String deployment;
  AdminVerticle admin;

  private AdminApiFixture(Vertx vertx, Path dataDir, boolean allowPrivateTargets, boolean demoReceiver,
                          AdminConfig config) {
    this.config = config;
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.allowPrivateTargets = allowPrivateTargets;
    this.demoReceiver = demoReceiver;
    this.client = WebClient.create(vertx);
  }

  static AdminApiFixture start(Vertx vertx, Path dataDir, boolean allowPrivateTargets, boolean demoReceiver) {
    return start(vertx, dataDir, allowPrivateTargets, demoReceiver, new AdminConfig("127.0.0.1", 0));
  }

  /**
   * As above, with the admin settings of {@code config} (its host and port are used as given: keep port 0); unless it
   * names its own, the bootstrap admin key is {@link TestApiKeys#ADMIN}, which {@link #request} presents.
   */
  static AdminApiFixture start(Vertx vertx, Path dataDir, boolean allowPrivateTargets, boolean demoReceiver,
                               AdminConfig config) {
    AdminApiFixture fixture = new AdminApiFixture(vertx, dataDir, allowPrivateTargets, demoReceiver,
        config.bootstrapKey() == null ? config.withBootstrapKey(TestApiKeys.ADMIN) : config);
    SourceCodecs.register(vertx.eventBus());
    MessageConsumer<Object> ready = vertx.eventBus().consumer(BusAddresses.sourceSchema(READY), m -> m.reply(SCHEMA));
    MessageConsumer<Object> notReady = vertx.eventBus().consumer(BusAddresses.sourceSchema(NOT_READY),
        m -> EventBusErrors.fail(m, new ServiceException(ErrorCode.SOURCE_NOT_READY,
            "schema of source 'orders' not discovered yet", "source")));
    MessageConsumer<JsonObject> changed = vertx.eventBus().consumer(BusAddresses.TRIGGERS_CHANGED,
        m -> fixture.changes.add(m.body()));
    await(Future.all(ready.completion(), notReady.completion(), changed.completion()));
    fixture.openStoreAndAdmin();
    return fixture;
  }

  static Store openStore(Vertx vertx, Path dataDir) {
    return await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir), Clock.systemUTC()));
  }

  /** Stops the admin server and closes the store, then opens both again over the same file (a restart). */
  void restart() {
    await(vertx.undeploy(deployment));
    await(store.close());
    openStoreAndAdmin();
  }

  private void openStoreAndAdmin() {
    store = openStore(vertx, dataDir);
    // allowing private targets stands for the loopback demo setup: http to any internal address; otherwise production
    WebhookTargetPolicy targets = allowPrivateTargets
        ? new WebhookTargetPolicy(false, TargetAllowList.everything()) : WebhookTargetPolicy.strict();
    admin = new AdminVerticle(config, SOURCES, () -> true, store, targets, demoReceiver);
    deployment = await(vertx.deployVerticle(admin));
  }

  HttpResponse<Buffer> post(String json) {
    return post(TriggerRoutes.TRIGGERS, "application/json", Buffer.buffer(json));
  }

  HttpResponse<Buffer> post(String path, String contentType, Buffer body) {
    HttpRequest<Buffer> request = request(HttpMethod.POST, path);
    if (contentType != null) {
      request.putHeader("content-type", contentType);
    }
    return await(request.sendBuffer(body));
  }

  HttpResponse<Buffer> get(String path) {
    return await(request(HttpMethod.GET, path).send());
  }

  HttpResponse<Buffer> delete(String path) {
    return await(request(HttpMethod.DELETE, path).send());
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, admin.actualPort(), "127.0.0.1", path).timeout(10_000)
        .putHeader("authorization", TestApiKeys.AUTHORIZATION);
  }

  /** The port the admin server listens on (for raw-socket clients). */
  int port() {
    return admin.actualPort();
  }

  /** The body of GET /api/v1/triggers: the first page. */
  JsonObject list() {
    return list(TriggerRoutes.TRIGGERS);
  }

  /** The body of a GET of the trigger list at {@code pathAndQuery}, failing unless it is answered 200. */
  JsonObject list(String pathAndQuery) {
    HttpResponse<Buffer> response = get(pathAndQuery);
    if (response.statusCode() != 200) {
      throw new AssertionError("list answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** Waits (bounded) until {@code count} triggers.changed messages arrived; they are published asynchronously. */
  List<JsonObject> awaitChanges(int count) throws InterruptedException {
    for (int i = 0; i < 50 && changes.size() < count; i++) {
      Thread.sleep(20);
    }
    return List.copyOf(changes);
  }

  @Override
  public void close() {
    client.close();
    if (deployment != null) {
      await(vertx.undeploy(deployment).recover(failure -> Future.succeededFuture()));
    }
    if (store != null) {
      await(store.close().recover(failure -> Future.succeededFuture()));
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("operation failed: " + e, e);
    }
  }

  /** A valid definition on the ready source: fire when quantity > 100, clear once quantity <= 90. */
  static String definition(String name) {
    return """
        {"name": "%s", "source": "positions", "webhook": {"url": "https://hooks.example.com/risk"},
         "fire": {"quantity": {"_gt": 100.5}}, "clear": {"quantity": {"_lte": 90}}}""".formatted(name);
  }
}
