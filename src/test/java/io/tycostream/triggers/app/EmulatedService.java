package io.tycostream.triggers.app;

import io.tycostream.triggers.config.ClusterConfig;
import io.tycostream.triggers.config.DeliveryConfig;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.config.StoreConfig;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.pause;

/**
 * The service as a user runs it, for end-to-end tests: the Materialize wire emulator holding one table (the
 * {@value #SOURCE} source, keyed by its first column), a real webhook receiver on loopback, the application on an
 * ephemeral admin port with the test's admin key, delivering to loopback over plain http, and an API client that
 * presents the key. Its methods block the test thread.
 */
final class EmulatedService implements AutoCloseable {

  static final String SOURCE = "scores";

  final MaterializeEmulator emulator;
  final WebhookReceiver receiver;
  /** The running application (replaced by {@link #restartApplication()}). */
  TriggersApplication application;
  private WebClient api;
  private final Vertx vertx;
  private final TriggersConfig config;
  private final Consumer<TriggersApplication> tuned;

  private EmulatedService(MaterializeEmulator emulator, WebhookReceiver receiver, Vertx vertx, TriggersConfig config,
                          Consumer<TriggersApplication> tuned) {
    this.emulator = emulator;
    this.receiver = receiver;
    this.vertx = vertx;
    this.config = config;
    this.tuned = tuned;
    startApplication();
  }

  private void startApplication() {
    application = new TriggersApplication(vertx, config);
    tuned.accept(application);
    await(application.start());
    api = WebClientSession.create(WebClient.create(vertx, new WebClientOptions()
            .setDefaultHost("127.0.0.1").setDefaultPort(application.adminPort())))
        .addHeader("authorization", TestApiKeys.AUTHORIZATION);
  }

  /**
   * Stops the application (as an operator's restart does: it drains and closes the store) and starts a new one on
   * the same data directory, configuration and tuning; the emulator and the receiver keep running.
   */
  void restartApplication() {
    api.close();
    await(application.stop());
    startApplication();
  }

  /** Starts the emulator with table {@value #SOURCE} of {@code columns}, the receiver, and the application. */
  static EmulatedService start(Vertx vertx, Path dataDir, EmulatorColumn... columns) {
    return start(vertx, dataDir, UnaryOperator.identity(), columns);
  }

  /**
   * As {@link #start(Vertx, Path, EmulatorColumn...)}, with the configuration changed by {@code configured} (extra
   * settings such as alerts) before the application starts.
   */
  static EmulatedService start(Vertx vertx, Path dataDir, UnaryOperator<TriggersConfig> configured,
                               EmulatorColumn... columns) {
    return start(vertx, dataDir, configured, application -> { }, columns);
  }

  /** As above, with {@code tuned} applied to the application (e.g. its delivery options) before it starts. */
  static EmulatedService start(Vertx vertx, Path dataDir, UnaryOperator<TriggersConfig> configured,
                               Consumer<TriggersApplication> tuned, EmulatorColumn... columns) {
    return start(vertx, dataDir, Map.of(), configured, tuned, columns);
  }

  /**
   * As {@link #start(Vertx, Path, EmulatorColumn...)}, with more sources: each entry of {@code otherSources} is a
   * table of its own (keyed by its first column) and a configured source of the same name.
   */
  static EmulatedService start(Vertx vertx, Path dataDir, Map<String, EmulatorColumn[]> otherSources,
                               EmulatorColumn... columns) {
    return start(vertx, dataDir, otherSources, UnaryOperator.identity(), application -> { }, columns);
  }

  private static EmulatedService start(Vertx vertx, Path dataDir, Map<String, EmulatorColumn[]> otherSources,
                                       UnaryOperator<TriggersConfig> configured, Consumer<TriggersApplication> tuned,
                                       EmulatorColumn... columns) {
    MaterializeEmulator emulator = await(MaterializeEmulator.start(vertx,
        new EmulatorOptions().setTickMs(20).setRetentionMs(600_000)));
    emulator.createTable(SOURCE, columns);
    List<SourceConfig> sources = new ArrayList<>();
    sources.add(source(SOURCE, columns, emulator));
    otherSources.forEach((name, otherColumns) -> {
      emulator.createTable(name, otherColumns);
      sources.add(source(name, otherColumns, emulator));
    });
    WebhookReceiver receiver = await(WebhookReceiver.start(vertx));
    TriggersConfig config = new TriggersConfig(TestApiKeys.loopbackAdmin(), sources, dataDir,
        new DeliveryConfig(false, 2_000, 5_000, 16).withTargets(false, List.of("127.0.0.1")), List.of(), false,
        StoreConfig.defaults(), ClusterConfig.defaults());
    return new EmulatedService(emulator, receiver, vertx, configured.apply(config), tuned);
  }

  private static SourceConfig source(String name, EmulatorColumn[] columns, MaterializeEmulator emulator) {
    return new SourceConfig(name, SourceType.MATERIALIZE, name, List.of(columns[0].name()), null,
        new MaterializeConfig("127.0.0.1", emulator.port(), "materialize", "materialize", null, null, "disable", null));
  }

  /** POSTs a trigger, retrying while the API answers 503 because the source has not reported its schema yet. */
  HttpResponse<Buffer> createWhenSourceReady(String triggerJson) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      HttpResponse<Buffer> response = post("/api/v1/triggers", triggerJson);
      if (response.statusCode() != 503 || System.nanoTime() > deadline) {
        return response;
      }
      pause(50);
    }
  }

  HttpResponse<Buffer> post(String path, String json) {
    return await(api.post(path).putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(json)));
  }

  HttpResponse<Buffer> patch(String path, String json) {
    return await(api.patch(path).putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(json)));
  }

  HttpResponse<Buffer> patchIfMatch(String path, String json, String ifMatch) {
    return await(api.patch(path).putHeader("content-type", "application/json").putHeader("if-match", ifMatch)
        .sendBuffer(Buffer.buffer(json)));
  }

  HttpResponse<Buffer> put(String path, String json) {
    return await(api.put(path).putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(json)));
  }

  HttpResponse<Buffer> putIfMatch(String path, String json, String ifMatch) {
    return await(api.put(path).putHeader("content-type", "application/json").putHeader("if-match", ifMatch)
        .sendBuffer(Buffer.buffer(json)));
  }

  /** Any request, the body (if any) sent as {@code application/json}; the answer as it came. */
  HttpResponse<Buffer> send(HttpMethod method, String path, Buffer body) {
    return await(body == null ? api.request(method, path).send()
        : api.request(method, path).putHeader("content-type", "application/json").sendBuffer(body));
  }

  JsonObject get(String path) {
    return await(api.get(path).send()).bodyAsJsonObject();
  }

  @Override
  public void close() {
    api.close();
    await(application.stop());
    await(receiver.stop());
    await(emulator.stop());
  }
}
