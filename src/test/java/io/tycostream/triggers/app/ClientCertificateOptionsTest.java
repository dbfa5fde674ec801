package io.tycostream.triggers.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.config.ClientCertificateConfig;
import io.tycostream.triggers.config.ConfigException;
import io.tycostream.triggers.config.DeliveryConfig;
import io.tycostream.triggers.config.DeliveryTlsConfig;
import io.tycostream.triggers.delivery.DeliveryOptions;
import io.tycostream.triggers.testkit.SelfSignedTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that the files of {@code delivery.tls.client_certificates} are read at start-up like the global ones: each
 * named certificate reaches delivery under its name, and an unusable file stops the start naming the entry's field.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientCertificateOptionsTest {

  /** Verifies the mapping by name and the field named for a missing key file and a certificate that is no PEM. */
  @Test
  void readsEachNamedCertificateAndNamesTheFileAtFault(@TempDir Path dir) throws IOException {
    // GIVEN two usable certificates, a file that is no PEM and one that does not exist
    SelfSignedTls a = SelfSignedTls.create(dir, "partner-a.example");
    SelfSignedTls b = SelfSignedTls.create(dir, "partner-b.example");
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    Path missing = dir.resolve("missing.key.pem");
    ClientCertificateConfig first = new ClientCertificateConfig("a", a.certificatePem(), a.privateKeyPem());

    // WHEN both are mapped THEN delivery has both, by name, in order, and no global certificate
    DeliveryOptions options = ComponentOptions.delivery(with(List.of(first,
        new ClientCertificateConfig("b", b.certificatePem(), b.privateKeyPem()))));
    assertThat(options.getNamedClientCertificates()).containsOnlyKeys("a", "b");
    assertThat(options.getNamedClientCertificates().keySet()).containsExactly("a", "b");
    assertThat(options.getClientCertificate()).isNull();

    // AND an unusable file of the second entry is an error naming that entry's field and the file
    assertRefused(with(List.of(first, new ClientCertificateConfig("b", b.certificatePem(), missing))),
        "delivery.tls.client_certificates[1].key_file", "missing.key.pem");
    assertRefused(with(List.of(first, new ClientCertificateConfig("b", notPem, b.privateKeyPem()))),
        "delivery.tls.client_certificates[1].cert_file", "not.pem");
    // a key that belongs to another certificate
    assertRefused(with(List.of(new ClientCertificateConfig("a", a.certificatePem(), a.certificatePem()))),
        "delivery.tls.client_certificates[0].key_file", "PKCS#8");
  }

  private static DeliveryConfig with(List<ClientCertificateConfig> certificates) {
    DeliveryConfig base = new DeliveryConfig(false, 2_000, 10_000, 32, 8, 24);
    return new DeliveryConfig(base.allowPrivateTargets(), base.connectTimeoutMs(), base.requestTimeoutMs(),
        base.maxInFlight(), base.maxInFlightPerEndpoint(), base.historyRetentionHours(), base.requireHttps(),
        base.allowedTargets(), new DeliveryTlsConfig(null, null, null, certificates));
  }

  private static void assertRefused(DeliveryConfig delivery, String field, String mentioned) {
    assertThatThrownBy(() -> ComponentOptions.delivery(delivery))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(mentioned);
  }
}
