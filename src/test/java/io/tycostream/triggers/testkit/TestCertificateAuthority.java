package io.tycostream.triggers.testkit;

import java.nio.file.Path;

/**
 * A CA made at test time with the JDK's {@code keytool} (no key material is checked in) that issues client
 * certificates: a receiver trusting {@link #certificatePem()} accepts the certificates this CA issued and no others.
 * Blocking: use it on the test thread, never on an event loop.
 */
public final class TestCertificateAuthority {

  private static final String PASSWORD = "test-only";

  private final Path dir;
  private final Path keyStore;
  private final Path certificatePem;

  private TestCertificateAuthority(Path dir, Path keyStore, Path certificatePem) {
    this.dir = dir;
    this.keyStore = keyStore;
    this.certificatePem = certificatePem;
  }

  /** A CA named {@code CN=<name>} (an EC key, basic constraints CA), valid two days. */
  public static TestCertificateAuthority create(Path dir, String name) {
    Path keyStore = dir.resolve(name + ".p12");
    Path certificate = dir.resolve(name + ".crt.pem");
    SelfSignedTls.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=" + name, "-ext", "bc:c", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    SelfSignedTls.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", keyStore.toString(), "-storepass",
        PASSWORD, "-file", certificate.toString());
    return new TestCertificateAuthority(dir, keyStore, certificate);
  }

  /** The CA's certificate, PEM: what a receiver trusts. */
  public Path certificatePem() {
    return certificatePem;
  }

  /**
   * A client certificate for {@code CN=<subject>} signed by this CA.
   *
   * @return its certificate (PEM) and unencrypted PKCS#8 key (PEM), the files {@code delivery.tls.*} read
   */
  public IssuedCertificate issue(String subject) {
    Path leafStore = dir.resolve(subject + ".p12");
    Path request = dir.resolve(subject + ".csr");
    Path certificate = dir.resolve(subject + ".crt.pem");
    Path key = dir.resolve(subject + ".key.pem");
    SelfSignedTls.keytool("-genkeypair", "-alias", "tls", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=" + subject, "-validity", "2", "-keystore", leafStore.toString(), "-storetype", "PKCS12", "-storepass",
        PASSWORD, "-keypass", PASSWORD);
    SelfSignedTls.keytool("-certreq", "-alias", "tls", "-keystore", leafStore.toString(), "-storepass", PASSWORD,
        "-file", request.toString());
    SelfSignedTls.keytool("-gencert", "-alias", "ca", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-infile", request.toString(), "-outfile", certificate.toString(), "-rfc", "-validity", "2",
        "-ext", "eku=clientAuth");
    SelfSignedTls.writePrivateKeyPem(leafStore, key);
    return new IssuedCertificate("CN=" + subject, certificate, key);
  }

  /**
   * A certificate this CA issued.
   *
   * @param subject        its subject, as {@code X500Principal.getName()} prints it
   * @param certificatePem the certificate, PEM
   * @param privateKeyPem  its key, unencrypted PKCS#8 PEM
   */
  public record IssuedCertificate(String subject, Path certificatePem, Path privateKeyPem) {
  }
}
