package io.tycostream.triggers.app;

import io.tycostream.triggers.config.ClientCertificateConfig;
import io.tycostream.triggers.config.ConfigException;
import io.tycostream.triggers.config.DeliveryConfig;
import io.tycostream.triggers.config.DeliveryTlsConfig;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.delivery.DeliveryOptions;
import io.tycostream.triggers.delivery.WebhookTlsFiles;
import io.tycostream.triggers.source.ChangeSourceFactory;
import io.tycostream.triggers.source.loadgen.LoadgenOptions;
import io.tycostream.triggers.source.loadgen.LoadgenSource;
import io.tycostream.triggers.source.materialize.SubscribeOptions;
import io.tycostream.triggers.source.materialize.SubscribeReader;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.tycostream.triggers.cluster.ClusterOptions;
import io.tycostream.triggers.config.ClusterConfig;
import io.tycostream.triggers.config.PostgresStoreConfig;
import io.tycostream.triggers.store.postgres.PostgresStoreOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;

/**
 * Maps the validated configuration records to the options of the components that run them: the one place that
 * knows both, so no component reads configuration and the configuration knows no component. Constraints that involve
 * a component's own limits (a delivery attempt must end before its claim lease) are checked here, as configuration
 * errors naming the field. Stateless.
 */
public final class ComponentOptions {

  /** Sent as {@code application_name}, so the connection is recognisable in Materialize's session views. */
  public static final String APPLICATION_NAME = "tycostream-triggers";

  private ComponentOptions() {
  }

  /**
   * Maps every part of {@code config} once, so a value a component refuses is reported at start-up as a
   * configuration error naming its field.
   *
   * @throws ConfigException naming the field
   */
  public static void check(TriggersConfig config) {
    delivery(config.delivery());
    for (int i = 0; i < config.sources().size(); i++) {
      SourceConfig source = config.sources().get(i);
      if (source.loadgen() != null) {
        String path = "sources[" + i + "].loadgen";
        try {
          loadgenOptions(source.loadgen());
        } catch (IllegalArgumentException e) {
          String field = e.getMessage().split(" ", 2)[0];
          throw new ConfigException(path + "." + field, e.getMessage());
        }
      }
    }
  }

  /** The reader of {@code source}: the SUBSCRIBE reader or the load generator. */
  public static ChangeSourceFactory changeSource(SourceConfig source) {
    return switch (source.type()) {
      case LOADGEN -> {
        LoadgenOptions options = loadgenOptions(source.loadgen());
        yield (vertx, consumer, listener) -> new LoadgenSource(vertx, source.name(), options, consumer, listener);
      }
      case MATERIALIZE -> {
        SubscribeOptions options = subscribeOptions(source);
        yield (vertx, consumer, listener) -> new SubscribeReader(vertx, options, consumer, listener);
      }
    };
  }

  /**
   * Maps a validated {@code loadgen} source to the generator's options.
   *
   * @throws IllegalArgumentException starting with the field the generator refuses (its limits are tighter than
   *                                  "positive"); {@link #check} turns it into a configuration error
   */
  public static LoadgenOptions loadgenOptions(LoadgenConfig loadgen) {
    return new LoadgenOptions().setEntities(loadgen.entities()).setIntervalMs(loadgen.intervalMs())
        .setChangesPerTick(loadgen.changesPerTick()).setSeed(loadgen.seed());
  }

  /** Maps a validated {@code materialize} source to the reader's options. */
  public static SubscribeOptions subscribeOptions(SourceConfig config) {
    MaterializeConfig mz = config.materialize();
    PgConnectOptions connect = pgConnect(mz.host(), mz.port(), mz.database(), mz.user(), mz.password(), mz.sslMode());
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
   * The delivery options of {@code delivery}, with the TLS files of {@code delivery.tls} read (blocking: call at
   * start-up, not on an event loop).
   *
   * @throws ConfigException when an attempt (connect + request timeout) could outlast the claim lease, or a TLS file
   *                         cannot be read or used
   */
  public static DeliveryOptions delivery(DeliveryConfig delivery) {
    long leaseMs = DeliveryOptions.DEFAULT_LEASE.toMillis();
    if (delivery.connectTimeoutMs() + delivery.requestTimeoutMs() >= leaseMs) {
      // an attempt must end before its claim lease does, or a slow but healthy attempt would be sent twice
      throw new ConfigException("delivery.request_timeout_ms", "connect_timeout_ms + request_timeout_ms must stay "
          + "below the " + leaseMs + " ms delivery lease, was " + (delivery.connectTimeoutMs()
          + delivery.requestTimeoutMs()) + " ms");
    }
    WebhookTargetPolicy targets = delivery.targetPolicy();
    return new DeliveryOptions()
        .setRequireHttps(targets.requiresHttps())
        .setAllowedTargets(targets.allowedTargets())
        .setTrust(webhookTrust(delivery.tls()))
        .setClientCertificate(webhookClientCertificate(delivery.tls()))
        .setNamedClientCertificates(namedClientCertificates(delivery.tls()))
        .setConnectTimeout(Duration.ofMillis(delivery.connectTimeoutMs()))
        .setRequestTimeout(Duration.ofMillis(delivery.requestTimeoutMs()))
        .setMaxInFlight(delivery.maxInFlight())
        .setMaxInFlightPerEndpoint(delivery.maxInFlightPerEndpoint())
        .setHistoryRetention(Duration.ofHours(delivery.historyRetentionHours()));
  }

  private static TrustOptions webhookTrust(DeliveryTlsConfig tls) {
    if (tls.caFile() == null) {
      return null;
    }
    try {
      return WebhookTlsFiles.trustWithExtraCas(tls.caFile());
    } catch (WebhookTlsFiles.UnusableFileException e) {
      throw new ConfigException("delivery.tls.ca_file", e.getMessage(), e);
    }
  }

  private static KeyCertOptions webhookClientCertificate(DeliveryTlsConfig tls) {
    if (tls.clientCertFile() == null || tls.clientKeyFile() == null) {
      return null;
    }
    try {
      return WebhookTlsFiles.clientCertificate(tls.clientCertFile(), tls.clientKeyFile());
    } catch (WebhookTlsFiles.UnusableFileException e) {
      boolean keyAtFault = e.file().equals(tls.clientKeyFile());
      throw new ConfigException(keyAtFault ? "delivery.tls.client_key_file" : "delivery.tls.client_cert_file",
          e.getMessage(), e);
    }
  }

  /** Each of {@code delivery.tls.client_certificates} read, by name; a file at fault is named by its field path. */
  private static Map<String, KeyCertOptions> namedClientCertificates(DeliveryTlsConfig tls) {
    Map<String, KeyCertOptions> certificates = new LinkedHashMap<>();
    for (int i = 0; i < tls.clientCertificates().size(); i++) {
      ClientCertificateConfig named = tls.clientCertificates().get(i);
      try {
        certificates.put(named.name(), WebhookTlsFiles.clientCertificate(named.certFile(), named.keyFile()));
      } catch (WebhookTlsFiles.UnusableFileException e) {
        boolean keyAtFault = e.file().equals(named.keyFile());
        throw new ConfigException("delivery.tls.client_certificates[" + i + "]." + (keyAtFault ? "key_file"
            : "cert_file"), e.getMessage(), e);
      }
    }
    return certificates;
  }

  /** The embedded store in {@code data_dir}. */
  public static SqliteStoreOptions store(TriggersConfig config) {
    return new SqliteStoreOptions().setDataDirectory(config.dataDir());
  }

  /**
   * The PostgreSQL store of {@code store.postgres}, its password read from the named environment variable.
   *
   * @throws io.tycostream.triggers.config.ConfigException when that variable is named but not set
   */
  public static PostgresStoreOptions postgresStore(TriggersConfig config, Map<String, String> env) {
    PostgresStoreConfig pg = config.store().postgres();
    PgConnectOptions connect = pgConnect(pg.host(), pg.port(), pg.database(), pg.user(), pg.password(env),
        pg.sslMode());
    return new PostgresStoreOptions().setConnect(connect).setPoolSize(pg.poolSize());
  }

  /** Connect options of a PostgreSQL-wire server, with TLS as {@code sslMode} says (libpq's meaning). */
  private static PgConnectOptions pgConnect(String host, int port, String database, String user, String password,
                                            String sslMode) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setSslMode(SslMode.of(sslMode));
    if (password != null) {
      connect.setPassword(password);
    }
    ClientSSLOptions ssl = sslOptions(connect.getSslMode());
    if (ssl != null) {
      connect.setSslOptions(ssl);
    }
    connect.addProperty("application_name", APPLICATION_NAME);
    return connect;
  }

  /** The Hazelcast settings of {@code cluster}. */
  public static ClusterOptions cluster(TriggersConfig config) {
    ClusterConfig cluster = config.cluster();
    return new ClusterOptions().setClusterName(cluster.name()).setHost(cluster.host()).setPort(cluster.port())
        .setMembers(cluster.members());
  }

  /** How long a source may go without committing before readiness fails. */
  public static Duration readinessGrace(TriggersConfig config) {
    return Duration.ofMillis(config.admin().readinessGraceMs());
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
