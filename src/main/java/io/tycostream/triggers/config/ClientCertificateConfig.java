package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.tycostream.triggers.definition.TriggerDefinitionParser;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One named client certificate of {@code delivery.tls.client_certificates}: a trigger presents it to its receiver
 * (mTLS) by naming it in {@code webhook.client_certificate}. The files live in the configuration only, so an API user
 * chooses among the operator's certificates and can never make the service read a file of its choosing. Checked by
 * {@link ConfigValidator} (name, uniqueness, both files given) and read at start-up like the global certificate.
 *
 * @param name     how triggers refer to it, {@link #NAME_PATTERN}
 * @param certFile the certificate (chain), PEM
 * @param keyFile  its unencrypted PKCS#8 private key, PEM
 */
public record ClientCertificateConfig(String name, Path certFile, Path keyFile) {

  /** Names of client certificates: 1 to 64 of lower-case letters, digits, {@code _} and {@code -}. */
  public static final Pattern NAME_PATTERN = TriggerDefinitionParser.CLIENT_CERTIFICATE_NAME;

  /** One entry as written; a missing name or file is reported by the validator, naming its index. */
  @JsonCreator
  static ClientCertificateConfig fromFile(@JsonProperty("name") String name,
                                          @JsonProperty("cert_file") String certFile,
                                          @JsonProperty("key_file") String keyFile) {
    return new ClientCertificateConfig(name, file(certFile, "cert_file"), file(keyFile, "key_file"));
  }

  private static Path file(String value, String field) {
    if (value != null && value.isBlank()) {
      throw new InvalidFieldException(field, "must not be blank");
    }
    return value == null ? null : Path.of(value.strip());
  }
}
