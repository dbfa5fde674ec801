package io.tycostream.triggers.admin;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.AdminConfig;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.definition.RetryDefaults;
import io.tycostream.triggers.delivery.BreakerStates;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.metrics.ServiceMetrics;
import io.tycostream.triggers.cluster.MembershipView;
import io.tycostream.triggers.source.SourceCodecs;
import io.tycostream.triggers.source.SourceStatusJson;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.TriggerLimits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.Locale;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin HTTP server: {@code /health/live} (200 while the process serves HTTP) and {@code /health/ready} (200
 * only once every verticle started and every source is connected or retrying and committed a frontier within its
 * readiness grace, else 503 with the reason), with JSON bodies that list each source's state, progress and last
 * failure; given a store, the trigger REST API under {@code /api/v1/triggers}
 * ({@link TriggerRoutes}) and, when asked, the demo webhook receiver ({@link DemoWebhookReceiver}). Errors use the
 * {@link ApiError} shape with a request id ({@link RequestIds}), including the router's own 400, 404, 405, 413 and 417
 * ({@link RouterErrorAnswers}) and the
 * HTTP layer's 414 and 431 ({@link InvalidRequestAnswer}); CORS only for {@code admin.cors_allowed_origins}
 * ({@link CrossOriginPolicy}). Given metrics, {@code GET /metrics} in the Prometheus text format
 * ({@link MetricsRoutes}).
 * <p>
 * {@code start()} completes once the server listens; {@link #actualPort()} then tells the bound port (useful with
 * port 0). Source states are asked over the bus at each readiness request, so this verticle holds no source state.
 */
public final class AdminVerticle extends VerticleBase {

  public static final String LIVE_PATH = "/health/live";
  public static final String READY_PATH = "/health/ready";
  /** Check id (in the readiness JSON) of the application's own start-up. */
  public static final String APPLICATION_CHECK = "application";
  /** Check group (in the readiness JSON) holding one check per source, named by source. */
  public static final String SOURCES_CHECK = "sources";

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);

  /** Longest request line (method, URI, version) read; longer ones are answered 414 ({@link InvalidRequestAnswer}). */
  static final int MAX_REQUEST_LINE_BYTES = 8_192;
  /** Largest header block read; larger ones are answered 431 ({@link InvalidRequestAnswer}). */
  static final int MAX_HEADER_BYTES = 16_384;
  /** The API paths the {@code Host} check guards; health endpoints answer any name (probes use addresses). */
  static final String API_PATHS = "/api/*";
  /** The worker pool that renders list answers to JSON, so a page of large triggers never holds the event loop. */
  static final String RENDERER_POOL = "admin-renderer";
  static final int RENDERER_THREADS = 2;

  private final AdminConfig config;
  private final List<String> sources;
  private final BooleanSupplier applicationStarted;
  private final Store store;
  private final WebhookTargetPolicy targets;
  private final boolean demoReceiver;
  private HttpServer server;
  private Router router;
  private WorkerExecutor renderer;
  private String nodeId = "local";
  private Supplier<MembershipView> membership;
  private RetryDefaults retryDefaults = RetryDefaults.STANDARD;
  private List<String> clientCertificates = List.of();
  private ServiceMetrics metrics;
  private boolean metricsRequireAuth;

  /**
   * Health endpoints only, no trigger API.
   *
   * @param applicationStarted tells whether every verticle has been deployed (and the application is not stopping)
   */
  public AdminVerticle(AdminConfig config, List<String> sources, BooleanSupplier applicationStarted) {
    this(config, sources, applicationStarted, null, WebhookTargetPolicy.strict(), false);
  }

  /**
   * Health endpoints and the trigger API over {@code store}.
   *
   * @param sources             the configured source names: triggers may watch only these
   * @param applicationStarted  tells whether every verticle has been deployed (and the application is not stopping)
   * @param store               where triggers live, or {@code null} for health endpoints only
   * @param targets             where webhook URLs may point ({@code delivery.require_https},
   *                            {@code delivery.allowed_targets})
   * @param demoReceiver        whether to serve {@code POST /demo/webhook} ({@code demo_receiver})
   */
  public AdminVerticle(AdminConfig config, List<String> sources, BooleanSupplier applicationStarted, Store store,
                       WebhookTargetPolicy targets, boolean demoReceiver) {
    this.config = Objects.requireNonNull(config, "config");
    this.sources = List.copyOf(sources);
    this.applicationStarted = Objects.requireNonNull(applicationStarted, "applicationStarted");
    this.store = store;
    this.targets = Objects.requireNonNull(targets, "targets");
    this.demoReceiver = demoReceiver;
  }

  /**
   * Who this node is for {@code GET /api/v1/cluster}; call before deploying.
   *
   * @param membership the current membership view, or {@code null} when the service is not clustered
   */
  public AdminVerticle withNode(String nodeId, Supplier<MembershipView> membership) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.membership = membership;
    return this;
  }

  /**
   * What triggers' own {@code retry} and {@code timeout} fall back to and must keep within (the delivery settings);
   * {@link RetryDefaults#STANDARD} unless called before deploying.
   */
  public AdminVerticle withRetryDefaults(RetryDefaults defaults) {
    this.retryDefaults = Objects.requireNonNull(defaults, "defaults");
    return this;
  }

  /**
   * The names of {@code delivery.tls.client_certificates}, the only values {@code webhook.client_certificate} may
   * take (any other is a 400 listing them); none unless called before deploying.
   */
  public AdminVerticle withClientCertificates(List<String> names) {
    this.clientCertificates = List.copyOf(names);
    return this;
  }

  /**
   * Serves {@code GET /metrics} from {@code serviceMetrics} (when they are enabled); call before deploying.
   *
   * @param requireAuth whether a scrape must present an API key ({@code metrics.require_auth})
   */
  public AdminVerticle withMetrics(ServiceMetrics serviceMetrics, boolean requireAuth) {
    this.metrics = Objects.requireNonNull(serviceMetrics, "serviceMetrics");
    this.metricsRequireAuth = requireAuth;
    return this;
  }

  @Override
  public Future<?> start() {
    // the schema of a source run by another node of a cluster comes back through this codec
    SourceCodecs.register(vertx.eventBus());
    router = Router.router(vertx);
    RequestDeadlines deadlines = new RequestDeadlines(vertx, config.clientTimeoutMs(), config.requestTimeoutMs());
    router.route().handler(RequestIds::assign).handler(deadlines::watchResponse);
    router.get(LIVE_PATH).handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get(READY_PATH).handler(HealthCheckHandler.createWithHealthChecks(readinessChecks()));
    Set<String> allowedHosts = config.effectiveAllowedHosts();
    if (!allowedHosts.isEmpty()) {
      // before any API route: a page served from another name (DNS rebinding) cannot reach the API from a browser
      router.route(API_PATHS).handler(ctx -> checkHost(ctx, allowedHosts));
      router.route(ConsoleRoutes.PATHS).handler(ctx -> checkHost(ctx, allowedHosts));
    }
    if (!config.corsAllowedOrigins().isEmpty()) {
      router.route(API_PATHS).handler(new CrossOriginPolicy(config.corsAllowedOrigins()));
    }
    ApiAuthHandler apiAuth = null;
    if (store != null) {
      // before any API route: no request reaches a handler without an actor allowed to make it
      ApiKeyHasher hasher = new ApiKeyHasher();
      Clock clock = Clock.systemUTC();
      Future<Void> adminKey = Future.succeededFuture();
      if (config.authEnabled()) {
        // off the start's path (the hash takes a moment): requests wait for it in the authentication handler
        adminKey = new ApiKeyBootstrap(vertx, store.apiKeys(), hasher, clock, System.out,
            new AuditRecorder(store.audit()))
            .ensureAdminKey(config.bootstrapKey())
            .onFailure(failure -> LOG.error("the bootstrap admin key could not be stored; the API answers 503 until "
                + "a restart [cause: {}]", failure.getMessage()));
      } else {
        LOG.warn("admin API authentication is OFF (admin.auth_enabled: false): every local client acts as admin");
      }
      // before authentication: the API's description is public, like the README
      new OpenApiRoutes(vertx).mount(router);
      apiAuth = new ApiAuthHandler(config.authEnabled()
          ? new ApiKeyAuthenticator(vertx, store.apiKeys(), hasher, clock) : null, adminKey, clock);
      router.route(API_PATHS).handler(apiAuth);
      new ApiKeyRoutes(vertx, store.apiKeys(), hasher, clock, new AuditRecorder(store.audit())).mount(router);
      TriggerRegistration registration = new TriggerRegistration(vertx, store, sources, targets,
          new TriggerLimits(config.maxTriggers(), config.maxTriggersPerSource())).withRetryDefaults(retryDefaults)
          .withClientCertificates(clientCertificates);
      renderer = vertx.createSharedWorkerExecutor(RENDERER_POOL, RENDERER_THREADS);
      new DryRunRoutes(vertx, registration, renderer).mount(router);
      new TriggerRoutes(store, registration, renderer, BreakerStates.of(vertx)).mount(router);
      new TriggerUpdateRoutes(registration).mount(router);
      new TriggerParamsRoutes(registration).mount(router);
      new EventRoutes(vertx, store, renderer, Clock.systemUTC()).mount(router);
      new HistoryRoutes(store, renderer).mount(router);
      new MatchRoutes(store, renderer).mount(router);
      new AuditRoutes(store.audit(), renderer).mount(router);
      new ClusterRoutes(store, nodeId, membership).mount(router);
      new ConsoleRoutes().mount(router);
      if (demoReceiver) {
        new DemoWebhookReceiver(store, registration, Clock.systemUTC()).mount(router);
      }
    }
    mountMetrics(apiAuth);
    router.errorHandler(404, ctx -> TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.NOT_FOUND,
        "no resource at " + ctx.request().path())));
    router.errorHandler(405, ctx -> TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not supported at " + ctx.request().path())));
    router.errorHandler(413, ctx -> TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.BODY_TOO_LARGE,
        "the request body is larger than " + TriggerRoutes.MAX_BODY_BYTES + " bytes")));
    router.errorHandler(500, ctx -> TriggerRoutes.fail(ctx, ctx.failure() == null
        ? new IllegalStateException("request failed without a cause") : ctx.failure()));
    RouterErrorAnswers.mount(router);
    return vertx.createHttpServer(new HttpServerOptions()
            .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            // a connection without traffic (opened and silent, or idle between requests) is closed
            .setIdleTimeout((int) config.clientTimeoutMs())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            // HTTP/1.1 only: the request-line, header and deadline limits above are HTTP/1.1's; no h2c upgrade or
            // prior-knowledge HTTP/2 with its own framing around them
            .setHttp2ClearTextEnabled(false))
        // a client trickling bytes is bounded by these deadlines, the idle timeout only ends silent connections
        .connectionHandler(deadlines::connected)
        .requestHandler(request -> {
          deadlines.headReceived(request);
          router.handle(request);
        })
        // 414, 431 and unparsable requests in the error shape too, instead of the HTTP layer's plain text
        .invalidRequestHandler(InvalidRequestAnswer::answer)
        .listen(config.port(), config.host())
        .recover(failure -> Future.failedFuture(new IllegalStateException("admin server cannot listen on "
            + config.host() + ":" + config.port() + ": " + failure.getMessage(), failure)))
        .onSuccess(listening -> {
          server = listening;
          LOG.info("admin server listening [host: {}, port: {}]", config.host(), listening.actualPort());
        });
  }

  /** {@code GET /metrics} when metrics are on; behind the API's key check when {@code metrics.require_auth}. */
  private void mountMetrics(ApiAuthHandler apiAuth) {
    if (metrics == null || !metrics.enabled()) {
      return;
    }
    if (metricsRequireAuth && apiAuth == null) {
      LOG.warn("metrics.require_auth is set but this server has no API keys to check: /metrics is not served");
      return;
    }
    new MetricsRoutes(metrics).mount(router, metricsRequireAuth ? apiAuth : null);
  }

  /** Passes requests whose {@code Host} (without port) is allowed; answers the others 421 in the error shape. */
  private static void checkHost(RoutingContext ctx, Set<String> allowed) {
    HostAndPort authority = ctx.request().authority();
    String host = authority == null ? null : authority.host().toLowerCase(Locale.ROOT);
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host != null && allowed.contains(host)) {
      ctx.next();
      return;
    }
    TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.MISDIRECTED_REQUEST, "this server does not answer for "
        + (host == null ? "a request without a Host header" : "host '" + host + "'") + " (admin.allowed_hosts)"));
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return renderer == null ? closed : closed.eventually(() -> renderer.close());
  }

  /** The routes served, once started (tests walk them). */
  Router router() {
    return router;
  }

  /** The port the server listens on, once started. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private HealthChecks readinessChecks() {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register(APPLICATION_CHECK, promise -> promise.complete(applicationStarted.getAsBoolean()
        ? Status.OK() : Status.KO(new JsonObject().put("reason", "starting or stopping"))));
    long timeout = BusAddresses.SOURCE_STATUS_TIMEOUT.toMillis();
    for (String source : sources) {
      checks.register(SOURCES_CHECK + "/" + source, timeout + 500, promise -> checkSource(source, timeout, promise));
    }
    return checks;
  }

  private void checkSource(String source, long timeout, Promise<Status> promise) {
    vertx.eventBus().<JsonObject>request(BusAddresses.status(source), null,
            new DeliveryOptions().setSendTimeout(timeout))
        .map(Message::body)
        .onSuccess(status -> promise.complete(SourceStatusJson.isReady(status) ? Status.OK(status) : Status.KO(status)))
        .onFailure(failure -> promise.complete(Status.KO(new JsonObject()
            .put(SourceStatusJson.SOURCE, source)
            .put("reason", "no status: " + failure.getMessage()))));
  }

}
