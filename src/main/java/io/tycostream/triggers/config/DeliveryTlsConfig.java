package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * TLS material of webhook connections ({@code delivery.tls}); every file is PEM and optional. Certificates of
 * receivers are always verified, host name included; these files only widen whom to trust and add a client
 * certificate.
 *
 * @param caFile         CA certificates trusted in addition to the JVM's default trust store (a private CA of
 *                       internal receivers), or {@code null}
 * @param clientCertFile the client certificate (chain) presented to receivers that ask for one (mTLS), or
 *                       {@code null}; set together with {@code clientKeyFile}
 * @param clientKeyFile  the client certificate's unencrypted PKCS#8 private key, or {@code null}
 * @param clientCertificates named client certificates a trigger may choose with {@code webhook.client_certificate}
 *                       (a trigger without one presents {@code clientCertFile}, if set); empty for none
 */
public record DeliveryTlsConfig(Path caFile, Path clientCertFile, Path clientKeyFile,
                                List<ClientCertificateConfig> clientCertificates) {

  public DeliveryTlsConfig {
    clientCertificates = List.copyOf(Objects.requireNonNull(clientCertificates, "clientCertificates"));
  }

  /** Without named client certificates. */
  public DeliveryTlsConfig(Path caFile, Path clientCertFile, Path clientKeyFile) {
    this(caFile, clientCertFile, clientKeyFile, List.of());
  }

  /** The {@code delivery.tls} section as written; every file is optional. */
  @JsonCreator
  static DeliveryTlsConfig fromFile(@JsonProperty("ca_file") String caFile,
                                    @JsonProperty("client_cert_file") String clientCertFile,
                                    @JsonProperty("client_key_file") String clientKeyFile,
                                    @JsonProperty("client_certificates") List<ClientCertificateConfig> named) {
    if (named != null && named.contains(null)) {
      throw new InvalidFieldException("client_certificates[" + named.indexOf(null) + "]",
          "expected {name, cert_file, key_file}");
    }
    return new DeliveryTlsConfig(file(caFile, "ca_file"), file(clientCertFile, "client_cert_file"),
        file(clientKeyFile, "client_key_file"), named == null ? List.of() : named);
  }

  /** The names of {@link #clientCertificates()}, in file order. */
  public List<String> clientCertificateNames() {
    return clientCertificates.stream().map(ClientCertificateConfig::name).toList();
  }

  private static Path file(String value, String field) {
    if (value != null && value.isBlank()) {
      throw new InvalidFieldException(field, "must not be blank (leave it out for none)");
    }
    return value == null ? null : Path.of(value.strip());
  }

  /** No extra CA, no client certificate. */
  public static DeliveryTlsConfig none() {
    return new DeliveryTlsConfig(null, null, null);
  }
}
