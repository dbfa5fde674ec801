package io.tycostream.triggers.app;

import io.tycostream.triggers.config.ConfigException;
import io.tycostream.triggers.config.ConfigLoader;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.logging.LogOutput;
import io.tycostream.triggers.metrics.ServiceMetrics;
import io.vertx.core.Future;
import io.tycostream.triggers.cluster.ClusterNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Entry point: {@code java -jar tycostream-triggers-fat.jar [config.yaml]}, or
 * {@code java -jar tycostream-triggers-fat.jar --reencrypt-secrets [config.yaml]} to move every stored webhook secret
 * to the current master key and exit ({@link ReencryptSecretsCommand}).
 * <p>
 * Loads the configuration (the argument, else {@code conf/config.yaml} in the working directory, else the built-in
 * {@value #BUILT_IN_CONFIG} with one loadgen source), applies {@code TYCOSTREAM_*} environment overrides, validates,
 * starts the application and logs readiness. Exit codes: 2 for a configuration error (one line on stderr
 * {@code config error: <message>}), 1 for a start-up failure. SIGTERM undeploys everything and closes Vert.x.
 * Everything it says after the configuration is read goes through the logger, so {@code logging.format: json}
 * applies to it; the config error line (before the format is known) and the generated key's banner (never logged,
 * {@code docs/logging.md}) are the two deliberate exceptions.
 */
public final class Main {

  /** The configuration read when no argument is given. */
  public static final Path DEFAULT_CONFIG = Path.of("conf", "config.yaml");
  /** The configuration used when no argument is given and {@link #DEFAULT_CONFIG} does not exist. */
  public static final String BUILT_IN_CONFIG = "default-config.yaml";
  public static final int EXIT_CONFIG_ERROR = 2;
  public static final int EXIT_STARTUP_FAILURE = 1;
  /** Bound on start-up and on shutdown, so a stuck deployment cannot hang the process. */
  static final long LIFECYCLE_TIMEOUT_SECONDS = 30;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    boolean reencrypt = args.length > 0 && args[0].equals(ReencryptSecretsCommand.FLAG);
    String[] configArgs = reencrypt ? Arrays.copyOfRange(args, 1, args.length) : args;
    TriggersConfig config;
    try {
      config = loadConfig(configArgs, System.getenv());
      // maps the records to component options, which checks the limits that involve a component
      ComponentOptions.check(config);
    } catch (ConfigException e) {
      // the one line an operator needs; the process has nothing else to say yet
      System.err.println("config error: " + e.getMessage());
      System.exit(EXIT_CONFIG_ERROR);
      return;
    }
    // before anything else logs: every line after this one has the configured format and level
    LogOutput.apply(config.logging());
    if (usesBuiltInConfig(configArgs)) {
      // logged only now, so that with logging.format: json it is a JSON line too
      LOG.info("no {} here: using the built-in configuration", DEFAULT_CONFIG);
    }
    if (reencrypt) {
      reencryptSecrets(config);
      return;
    }
    ClusterNode cluster = null;
    Vertx vertx;
    TriggersApplication application;
    // built before Vert.x, so Vert.x records its pools, HTTP and event bus into the same registry
    ServiceMetrics metrics = config.metrics().enabled() ? ServiceMetrics.prometheus() : ServiceMetrics.disabled();
    VertxOptions vertxOptions = new VertxOptions().setMetricsOptions(metrics.vertxMetricsOptions());
    try {
      if (config.cluster().enabled()) {
        cluster = await(ClusterNode.start(vertxOptions, ComponentOptions.cluster(config),
            metrics.vertxMetricsFactory()));
        LOG.info("joined the cluster [name: {}, node: {}, address: {}, members: {}]", config.cluster().name(),
            cluster.nodeId(), cluster.address(), cluster.members().size());
        vertx = cluster.vertx();
      } else {
        vertx = Vertx.builder().with(vertxOptions).withMetrics(metrics.vertxMetricsFactory()).build();
      }
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.error("start-up failed: joining the cluster failed [cause: {}]", cause.getMessage());
      System.exit(EXIT_STARTUP_FAILURE);
      return;
    }
    application = new TriggersApplication(vertx, config, cluster, metrics);
    try {
      await(application.start());
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.error("start-up failed [cause: {}]", cause.getMessage());
      LOG.debug("start-up failure", cause);
      closeQuietly(vertx, cluster);
      System.exit(EXIT_STARTUP_FAILURE);
      return;
    }
    ClusterNode node = cluster;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(application, vertx, node), "tycostream-shutdown"));
    if (config.sources().isEmpty()) {
      LOG.warn("no sources configured: the service only serves its admin API");
    }
    LOG.info("ready [admin: {}:{}, sources: {}, startup: {} ms]", config.admin().host(), application.adminPort(),
        config.sourceNames(), ManagementFactory.getRuntimeMXBean().getUptime());
  }

  private static void reencryptSecrets(TriggersConfig config) {
    try {
      int rewritten = ReencryptSecretsCommand.run(config);
      LOG.info("re-encrypted the webhook secrets under the current master key [triggers: {}]", rewritten);
      System.exit(0);
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.error("re-encrypting secrets failed [cause: {}]", cause.getMessage());
      System.exit(EXIT_STARTUP_FAILURE);
    }
  }

  /** Whether {@link #loadConfig} reads the built-in configuration for these arguments. */
  static boolean usesBuiltInConfig(String[] args) {
    return args.length == 0 && !Files.exists(DEFAULT_CONFIG);
  }

  static TriggersConfig loadConfig(String[] args, Map<String, String> env) {
    if (args.length > 0) {
      return ConfigLoader.load(Path.of(args[0]), env);
    }
    if (Files.exists(DEFAULT_CONFIG)) {
      return ConfigLoader.load(DEFAULT_CONFIG, env);
    }
    try (InputStream in = Main.class.getClassLoader().getResourceAsStream(BUILT_IN_CONFIG)) {
      if (in == null) {
        throw new ConfigException(BUILT_IN_CONFIG, "missing from the jar");
      }
      return ConfigLoader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUILT_IN_CONFIG, env);
    } catch (IOException e) {
      throw new ConfigException(BUILT_IN_CONFIG, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static void shutdown(TriggersApplication application, Vertx vertx, ClusterNode cluster) {
    LOG.info("stopping");
    try {
      await(application.stop());
    } catch (Exception e) {
      LOG.warn("stop incomplete [cause: {}]", e.getMessage());
    }
    closeQuietly(vertx, cluster);
    LOG.info("stopped");
  }

  /** Closes Vert.x; in a cluster by leaving it (the node's close closes its Vert.x). */
  private static void closeQuietly(Vertx vertx, ClusterNode cluster) {
    try {
      await(cluster != null ? cluster.close() : vertx.close());
    } catch (Exception e) {
      LOG.warn("vert.x close incomplete [cause: {}]", e.getMessage());
    }
  }

  /** Waits on the main or shutdown thread (never an event loop) with a bound. */
  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(LIFECYCLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
