package io.tycostream.triggers.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's files over HTTP, without a browser: served without a key from the jar, {@code /console} sent to
 * {@code /console/}, a strict Content-Security-Policy on every file, module scripts with a JavaScript type, a missing
 * file a 404 in the error shape, and the {@code Host} check of the API applied to the console too.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsoleRoutesTest {

  @TempDir
  Path dataDir;

  private AdminApiFixture api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** Verifies what a browser gets for the console's files, without a key. */
  @Test
  void servesTheConsoleFilesWithoutAKey(Vertx vertx) {
    // GIVEN the admin server with the trigger API
    api = AdminApiFixture.start(vertx, dataDir, false, false);

    // WHEN /console is asked for, THEN the browser is sent to /console/
    HttpResponse<Buffer> redirect = send(unauthenticated("/console").followRedirects(false));
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.getHeader("location")).isEqualTo("/console/");

    // WHEN the page and its script are asked for without a key THEN they are served with the strict policy
    HttpResponse<Buffer> page = send(unauthenticated("/console/"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    assertThat(page.bodyAsString()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
    assertThat(page.getHeader("content-security-policy")).isEqualTo(ConsoleRoutes.CONTENT_SECURITY_POLICY);
    assertThat(page.getHeader("x-frame-options")).isEqualTo("DENY");
    HttpResponse<Buffer> script = send(unauthenticated("/console/js/app.js"));
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.getHeader("content-type")).contains("javascript");
    assertThat(script.getHeader("content-security-policy")).isEqualTo(ConsoleRoutes.CONTENT_SECURITY_POLICY);

    // AND no inline script or style is needed (the policy would block it): the page holds none
    assertThat(page.bodyAsString()).doesNotContain("<style", " style=", " onclick=", " onload=")
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)");

    // WHEN a file that does not exist is asked for THEN 404 in the error shape
    HttpResponse<Buffer> missing = send(unauthenticated("/console/nope.js"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("not_found");
  }

  /** Verifies that the console, like the API, answers only the allowed host names (DNS rebinding). */
  @Test
  void answersOnlyAllowedHostNames(Vertx vertx) {
    // GIVEN the admin server on its default allowed hosts (loopback names)
    api = AdminApiFixture.start(vertx, dataDir, false, false);

    // WHEN the console is asked for under another name THEN it is refused like the API
    HttpResponse<Buffer> refused = send(unauthenticated("/console/").putHeader("Host", "evil.example.com"));
    assertThat(refused.statusCode()).isEqualTo(421);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("misdirected_request");
  }

  private HttpRequest<Buffer> unauthenticated(String path) {
    HttpRequest<Buffer> request = api.request(HttpMethod.GET, path);
    request.headers().remove("authorization");
    return request;
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request) {
    return await(request.send());
  }
}
