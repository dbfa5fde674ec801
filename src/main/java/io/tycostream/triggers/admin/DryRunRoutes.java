package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.source.SnapshotRequests;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.trigger.TriggerStateMachine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The dry run of a trigger definition (#10), {@code POST /api/v1/triggers:test}: the definition is checked exactly as
 * {@code POST /api/v1/triggers} checks it (the same 400s naming the field, 503 {@code source_not_ready} before the
 * source knows its columns), then its source's reader takes ONE fresh snapshot (the mechanism of a trigger's
 * baseline, {@link SnapshotRequests}) and the answer lists the rows that satisfy {@code fire} with the payload each
 * FIRE would carry ({@link DryRunAnswer}). Nothing is stored and nothing is announced.
 * <p>
 * Bounds: at most {@value #MAX_MATCHES} matches are listed ({@code truncated: true} beyond); the snapshot must come
 * within the timeout, else 503 {@code unavailable}; one dry run per source at a time (another one meanwhile is 429
 * {@code too_many_requests}), since each holds a whole snapshot in memory. The snapshot is served by the reader of
 * the source on this node: in a cluster, a node that does not run the source answers 503 {@code unavailable}.
 * <p>
 * Needs the {@code write} role: {@code ApiAuthHandler} gives every POST that role, although a dry run changes
 * nothing. Runs on the admin verticle's event loop; the snapshot is evaluated on the {@code evaluator} pool.
 */
final class DryRunRoutes {

  /** A regex route: an ordinary path would read {@code :test} as a path parameter. */
  static final String DRY_RUN = "/api/v1/triggers:test";
  static final int MAX_MATCHES = 1_000;
  /** How long a dry run waits for its snapshot: a whole view is read, but an HTTP client should not wait minutes. */
  static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(DryRunRoutes.class);

  private final Vertx vertx;
  private final TriggerRegistration registration;
  private final WorkerExecutor evaluator;
  private final Duration snapshotTimeout;
  private final Clock clock;
  /** Sources with a dry run in progress; confined to the admin verticle's event loop. */
  private final Set<String> running = new HashSet<>();

  DryRunRoutes(Vertx vertx, TriggerRegistration registration, WorkerExecutor evaluator) {
    this(vertx, registration, evaluator, SNAPSHOT_TIMEOUT, Clock.systemUTC());
  }

  DryRunRoutes(Vertx vertx, TriggerRegistration registration, WorkerExecutor evaluator, Duration snapshotTimeout,
               Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.registration = Objects.requireNonNull(registration, "registration");
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.snapshotTimeout = Objects.requireNonNull(snapshotTimeout, "snapshotTimeout");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  void mount(Router router) {
    router.postWithRegex(DRY_RUN).handler(BodyHandler.create(false).setBodyLimit(TriggerRoutes.MAX_BODY_BYTES))
        .handler(this::dryRun);
  }

  private void dryRun(RoutingContext ctx) {
    if (!TriggerRoutes.isJson(ctx.request().getHeader("content-type"))) {
      TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the body must be a trigger definition sent as Content-Type: application/json"));
      return;
    }
    String body = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    Future.succeededFuture(body)
        .map(text -> registration.parse(text).definition())
        .compose(this::checkAndRun)
        .onSuccess(answer -> ctx.response().putHeader("content-type", "application/json; charset=utf-8").end(answer))
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  /** The checks of a creation that need the source (its schema), then the run itself. */
  private Future<Buffer> checkAndRun(TriggerDefinition definition) {
    return registration.schemaOf(definition.source())
        .map(schema -> TriggerStateMachine.compile(definition.name(), schema, definition))
        .compose(machine -> runAlone(definition, machine));
  }

  private Future<Buffer> runAlone(TriggerDefinition definition, TriggerStateMachine machine) {
    String source = definition.source();
    if (!running.add(source)) {
      return Future.failedFuture(new ServiceException(ErrorCode.TOO_MANY_REQUESTS, "a dry run of source '" + source
          + "' is already taking a snapshot; retry once it answered", TriggerDefinitionParser.SOURCE));
    }
    return snapshot(source)
        .compose(snapshot -> evaluator.executeBlocking(() -> DryRunAnswer.render(definition, machine, snapshot,
            MAX_MATCHES, clock.instant()), false))
        .onComplete(done -> running.remove(source));
  }

  private Future<SourceSnapshot> snapshot(String source) {
    return SnapshotRequests.request(vertx.eventBus(), source, null, snapshotTimeout)
        .onSuccess(snapshot -> LOG.info("dry run snapshot taken [source: {}, frontier: {}, rows: {}]", source,
            snapshot.frontier(), snapshot.rows().size()))
        .recover(failure -> Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE, "source '" + source
            + "' could not take a snapshot for the dry run (" + failure.getMessage() + "); retry shortly",
            TriggerDefinitionParser.SOURCE)));
  }
}
