package io.tycostream.triggers.testkit;

import io.tycostream.triggers.testkit.TestCertificateAuthority.IssuedCertificate;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * The certificates of a mutual-TLS test: a receiver's server certificate for {@code localhost}, a client CA the
 * receiver trusts with two client certificates it issued ({@code partnerA}, {@code global}), and {@code partnerB},
 * issued by another CA the receiver does not trust; plus the receiver itself, on 127.0.0.1, requiring a client
 * certificate of the trusted CA.
 *
 * @param prefix names the CAs and subjects, so two tests' certificates are told apart
 */
public record ClientCertificateSet(SelfSignedTls server, TestCertificateAuthority trustedCa,
                                   IssuedCertificate partnerA, IssuedCertificate partnerB, IssuedCertificate global) {

  /** Makes the set in {@code dir}; subjects are {@code CN=<prefix>partner-a} and so on. */
  public static ClientCertificateSet create(Path dir, String prefix) {
    SelfSignedTls server = SelfSignedTls.create(dir, "localhost");
    TestCertificateAuthority trusted = TestCertificateAuthority.create(dir, prefix + "ca-trusted");
    TestCertificateAuthority other = TestCertificateAuthority.create(dir, prefix + "ca-other");
    return new ClientCertificateSet(server, trusted, trusted.issue(prefix + "partner-a"),
        other.issue(prefix + "partner-b"), trusted.issue(prefix + "global"));
  }

  /** Starts an HTTPS receiver on 127.0.0.1 that requires a client certificate of the trusted CA. */
  public Future<HttpServer> startReceiver(Vertx vertx, Handler<HttpServerRequest> requests) {
    return vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(server.serverKeyCert()).setClientAuth(ClientAuth.REQUIRED)
            .setTrustOptions(new PemTrustOptions().addCertPath(trustedCa.certificatePem().toString()))
            .setHost("127.0.0.1").setPort(0))
        .requestHandler(requests)
        .listen();
  }

  /** The subject of the client certificate {@code request} came with. */
  public static String subjectOf(HttpServerRequest request) {
    try {
      return ((X509Certificate) request.connection().peerCertificates().get(0)).getSubjectX500Principal().getName();
    } catch (Exception e) {
      return "no certificate: " + e;
    }
  }
}
