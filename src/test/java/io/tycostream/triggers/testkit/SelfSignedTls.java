package io.tycostream.triggers.testkit;

import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for one host name, made at test time with the JDK's {@code keytool} (no key material is
 * checked in): a PKCS#12 key store for a Vert.x TLS server, and the certificate and its PKCS#8 key as PEM files, the
 * form {@code delivery.tls.*} reads. Blocking: create it on the test thread, never on an event loop.
 */
public final class SelfSignedTls {

  private static final String PASSWORD = "test-only";

  private final Path keyStore;
  private final Path certificatePem;
  private final Path privateKeyPem;

  private SelfSignedTls(Path keyStore, Path certificatePem, Path privateKeyPem) {
    this.keyStore = keyStore;
    this.certificatePem = certificatePem;
    this.privateKeyPem = privateKeyPem;
  }

  /** An EC key and a certificate for {@code hostName} (subject and DNS subject alternative name), valid two days. */
  public static SelfSignedTls create(Path dir, String hostName) {
    Path keyStore = dir.resolve(hostName + ".p12");
    Path certificate = dir.resolve(hostName + ".crt.pem");
    Path key = dir.resolve(hostName + ".key.pem");
    keytool("-genkeypair", "-alias", "tls", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + hostName,
        "-ext", "SAN=dns:" + hostName, "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "tls", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-file", certificate.toString());
    writePrivateKeyPem(keyStore, key);
    return new SelfSignedTls(keyStore, certificate, key);
  }

  /** The key and certificate for a Vert.x server. */
  public PfxOptions serverKeyCert() {
    return new PfxOptions().setPath(keyStore.toString()).setPassword(PASSWORD);
  }

  /** The certificate, PEM. */
  public Path certificatePem() {
    return certificatePem;
  }

  /** The private key, unencrypted PKCS#8 PEM. */
  public Path privateKeyPem() {
    return privateKeyPem;
  }

  static void writePrivateKeyPem(Path keyStore, Path target) {
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      Key key = store.getKey("tls", PASSWORD.toCharArray());
      String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
          key.getEncoded());
      Files.writeString(target, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n",
          StandardCharsets.US_ASCII);
    } catch (IOException | GeneralSecurityException e) {
      throw new AssertionError("cannot export the test key", e);
    }
  }

  static void keytool(String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("keytool failed: " + output);
      }
    } catch (IOException e) {
      throw new AssertionError("keytool cannot run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
