package io.tycostream.triggers.delivery;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the PEM files of {@code delivery.tls} into the webhook client's TLS options, once at start-up (it blocks on
 * file reads, so never on an event loop). Every problem is an {@link UnusableFileException} saying which file is at
 * fault and what is wrong with it, for the configuration error that names the field.
 * <p>
 * The CA file is <em>added</em> to the JVM's default trust store, not put in its place: receivers with public
 * certificates keep working when a private CA is added for internal ones. Stateless.
 */
public final class WebhookTlsFiles {

  private static final Pattern PEM_BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  /** Protects the in-memory key store only; it never leaves the process. */
  private static final char[] NO_PASSWORD = "in-memory".toCharArray();

  private WebhookTlsFiles() {
  }

  /**
   * The JVM's trusted CAs plus every certificate of {@code caPem}.
   *
   * @throws UnusableFileException if the file cannot be read or holds no certificate
   */
  public static TrustOptions trustWithExtraCas(Path caPem) {
    List<X509Certificate> extra = certificates(caPem);
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate jvmCa : jvmTrustedCas()) {
        anchors.setCertificateEntry("jvm-" + n++, jvmCa);
      }
      for (X509Certificate ca : extra) {
        anchors.setCertificateEntry("configured-" + n++, ca);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      return TrustOptions.wrap(factory);
    } catch (GeneralSecurityException | IOException e) {
      throw new UnusableFileException(caPem, "cannot build a trust store from " + caPem + ": " + e.getMessage(), e);
    }
  }

  /**
   * The client certificate (chain) of {@code certPem} with the unencrypted PKCS#8 key of {@code keyPem}.
   *
   * @throws UnusableFileException naming the file that cannot be read or used
   */
  public static KeyCertOptions clientCertificate(Path certPem, Path keyPem) {
    List<X509Certificate> chain = certificates(certPem);
    PrivateKey key = privateKey(keyPem, chain.get(0).getPublicKey().getAlgorithm());
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, NO_PASSWORD);
      return KeyCertOptions.wrap(factory);
    } catch (GeneralSecurityException | IOException e) {
      throw new UnusableFileException(keyPem, keyPem + " does not fit the certificate of " + certPem + ": "
          + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks(file, "CERTIFICATE")) {
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (GeneralSecurityException e) {
      throw new UnusableFileException(file, file + " holds a certificate that cannot be read: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new UnusableFileException(file, file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)", null);
    }
    return certificates;
  }

  private static PrivateKey privateKey(Path file, String algorithm) {
    List<byte[]> keys = blocks(file, "PRIVATE KEY");
    if (keys.size() != 1) {
      throw new UnusableFileException(file, file + " must hold one unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY"
          + "-----); convert a PKCS#1, EC or encrypted key with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out "
          + "key.pk8.pem", null);
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(keys.get(0)));
    } catch (GeneralSecurityException e) {
      throw new UnusableFileException(file, file + " holds no " + algorithm + " key matching the certificate: "
          + e.getMessage(), e);
    }
  }

  /** The decoded contents of the file's PEM blocks of {@code type}, in order. */
  private static List<byte[]> blocks(Path file, String type) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new UnusableFileException(file, "cannot read " + file + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }
    List<byte[]> blocks = new ArrayList<>();
    Matcher block = PEM_BLOCK.matcher(text);
    while (block.find()) {
      if (block.group(1).equals(type)) {
        try {
          blocks.add(Base64.getMimeDecoder().decode(block.group(2)));
        } catch (IllegalArgumentException e) {
          throw new UnusableFileException(file, file + " holds a " + type + " block that is not base64", e);
        }
      }
    }
    return blocks;
  }

  private static List<X509Certificate> jvmTrustedCas() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    List<X509Certificate> cas = new ArrayList<>();
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        cas.addAll(List.of(x509.getAcceptedIssuers()));
      }
    }
    return cas;
  }

  /** A TLS file that cannot be read or used; {@link #file()} is the one at fault. */
  public static final class UnusableFileException extends IllegalArgumentException {

    private final transient Path file;

    UnusableFileException(Path file, String message, Throwable cause) {
      super(message, cause);
      this.file = file;
    }

    public Path file() {
      return file;
    }
  }
}
