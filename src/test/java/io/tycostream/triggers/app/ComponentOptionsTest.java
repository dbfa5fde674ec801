package io.tycostream.triggers.app;

import io.tycostream.triggers.config.AdminConfig;
import io.tycostream.triggers.config.ConfigException;
import io.tycostream.triggers.config.DeliveryConfig;
import io.tycostream.triggers.config.DeliveryTlsConfig;
import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.delivery.DeliveryOptions;
import io.tycostream.triggers.source.materialize.SubscribeOptions;
import io.tycostream.triggers.testkit.SelfSignedTls;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies that configuration records become the options of the components that run them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ComponentOptionsTest {

  /** Verifies host, credentials, TLS mode, application name, cluster, view and key reach the reader. */
  @Test
  void mapsMaterializeConfigToSubscribeOptions() {
    // GIVEN a materialize source with a password from the environment and a cluster
    SourceConfig config = new SourceConfig("orders", SourceType.MATERIALIZE, "public.orders_mv",
        List.of("id", "region"), null, new MaterializeConfig("mz.example.com", 6876, "prod", "alice@example.com",
        "MZ_PASSWORD", "s3cret", "verify-full", "risk"));

    // WHEN it is mapped
    SubscribeOptions options = ComponentOptions.subscribeOptions(config);

    // THEN the reader connects exactly as configured and names itself
    PgConnectOptions connect = options.getConnectOptions();
    assertThat(options.getSource()).isEqualTo("orders");
    assertThat(options.getView()).isEqualTo("public.orders_mv");
    assertThat(options.getKeyColumns()).containsExactly("id", "region");
    assertThat(connect.getHost()).isEqualTo("mz.example.com");
    assertThat(connect.getPort()).isEqualTo(6876);
    assertThat(connect.getDatabase()).isEqualTo("prod");
    assertThat(connect.getUser()).isEqualTo("alice@example.com");
    assertThat(connect.getPassword()).isEqualTo("s3cret");
    assertThat(connect.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(connect.getSslOptions().getTrustOptions()).isNotNull();
    assertThat(connect.getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(connect.getProperties()).containsEntry("application_name", "tycostream-triggers")
        .containsEntry("options", "--cluster=risk");
  }

  /** Verifies that ssl_mode disable makes a plain connection (the emulator and a local Materialize). */
  @Test
  void disabledTlsConnectsInPlainText() {
    // GIVEN a local source without TLS, password or cluster
    SourceConfig config = new SourceConfig("orders", SourceType.MATERIALIZE, "orders_mv", List.of("id"), null,
        new MaterializeConfig("127.0.0.1", 6875, "materialize", "materialize", null, null, "disable", null));

    // WHEN it is mapped
    PgConnectOptions connect = ComponentOptions.subscribeOptions(config).getConnectOptions();

    // THEN TLS is off and no cluster option is sent
    assertThat(connect.getSslMode()).isEqualTo(SslMode.DISABLE);
    assertThat(connect.getProperties()).doesNotContainKey("options");
  }

  /** Verifies that the delivery limits reach the delivery verticle's options. */
  @Test
  void mapsTheDeliveryLimits() {
    // GIVEN 32 requests in flight overall and 8 per endpoint
    DeliveryConfig delivery = new DeliveryConfig(false, 2_000, 10_000, 32, 8, 24);

    // WHEN they are mapped
    DeliveryOptions options = ComponentOptions.delivery(delivery);

    // THEN both limits are set
    assertThat(options.getMaxInFlight()).isEqualTo(32);
    assertThat(options.getMaxInFlightPerEndpoint()).isEqualTo(8);
  }

  /** Verifies that delivery timeouts that could outlast the claim lease are a configuration error naming the field. */
  @Test
  void refusesDeliveryTimeoutsBeyondTheLease() {
    // GIVEN timeouts that add up to the 60 s lease
    DeliveryConfig delivery = new DeliveryConfig(false, 20_000, 40_000, 64);

    // WHEN / THEN
    assertThatThrownBy(() -> ComponentOptions.delivery(delivery))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.field()).isEqualTo("delivery.request_timeout_ms"))
        .hasMessageContaining("lease");
  }

  /** Verifies that the target rules and TLS files reach delivery, and unusable TLS files stop the start by field. */
  @Test
  void mapsTheTargetRulesAndRefusesUnusableTlsFiles(@TempDir Path dir) throws IOException {
    // GIVEN a test certificate, a file that is no PEM, and one that does not exist
    SelfSignedTls tls = SelfSignedTls.create(dir, "receiver.example");
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    Path missing = dir.resolve("missing.pem");
    DeliveryConfig base = new DeliveryConfig(false, 2_000, 10_000, 32, 8, 24).withTargets(false,
        List.of("10.0.0.0/8"));

    // WHEN the valid files are mapped, THEN delivery gets the rules, a trust store and a client certificate
    DeliveryOptions options = ComponentOptions.delivery(withTls(base, new DeliveryTlsConfig(tls.certificatePem(),
        tls.certificatePem(), tls.privateKeyPem())));
    assertThat(options.isRequireHttps()).isFalse();
    assertThat(options.getAllowedTargets().toString()).isEqualTo("[10.0.0.0/8]");
    assertThat(options.getTrust()).isNotNull();
    assertThat(options.getClientCertificate()).isNotNull();

    // AND each unusable file is a configuration error naming its field and the file
    assertTlsRefused(withTls(base, new DeliveryTlsConfig(missing, null, null)), "delivery.tls.ca_file", "missing.pem");
    assertTlsRefused(withTls(base, new DeliveryTlsConfig(notPem, null, null)), "delivery.tls.ca_file",
        "no PEM certificate");
    assertTlsRefused(withTls(base, new DeliveryTlsConfig(null, notPem, tls.privateKeyPem())),
        "delivery.tls.client_cert_file", "not.pem");
    assertTlsRefused(withTls(base, new DeliveryTlsConfig(null, tls.certificatePem(), tls.certificatePem())),
        "delivery.tls.client_key_file", "PKCS#8");
  }

  private static DeliveryConfig withTls(DeliveryConfig delivery, DeliveryTlsConfig tls) {
    return new DeliveryConfig(delivery.allowPrivateTargets(), delivery.connectTimeoutMs(),
        delivery.requestTimeoutMs(), delivery.maxInFlight(), delivery.maxInFlightPerEndpoint(),
        delivery.historyRetentionHours(), delivery.requireHttps(), delivery.allowedTargets(), tls);
  }

  private static void assertTlsRefused(DeliveryConfig delivery, String field, String mentioned) {
    assertThatThrownBy(() -> ComponentOptions.delivery(delivery))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(mentioned);
  }

  /** Verifies that a load generator bigger than it supports is a configuration error naming the field. */
  @Test
  void refusesLoadgenValuesBeyondTheGeneratorsLimits() {
    // GIVEN a loadgen source with more entities than the generator supports
    TriggersConfig config = new TriggersConfig(AdminConfig.defaults(), List.of(new SourceConfig("positions",
        SourceType.LOADGEN, null, List.of("account"), new LoadgenConfig(2_000_000, 250, 3, 42), null)));

    // WHEN / THEN the check names the field
    assertThatThrownBy(() -> ComponentOptions.check(config))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.field()).isEqualTo("sources[0].loadgen.entities"))
        .hasMessageContaining("1000000");
  }
}
