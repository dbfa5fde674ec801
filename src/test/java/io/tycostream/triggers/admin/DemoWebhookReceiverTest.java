package io.tycostream.triggers.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.delivery.WebhookHeaders;
import io.tycostream.triggers.delivery.WebhookPayload;
import io.tycostream.triggers.delivery.WebhookSigner;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that the demo receiver accepts only correctly signed deliveries and logs each one it accepts. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DemoWebhookReceiverTest {

  private static final String SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  @TempDir
  Path dataDir;

  private AdminApiFixture api;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger receiverLogger = (Logger) LoggerFactory.getLogger(DemoWebhookReceiver.class);

  @BeforeEach
  void startApi(Vertx vertx) {
    // private targets allowed, as in the demo: the trigger's webhook is the service itself
    api = AdminApiFixture.start(vertx, dataDir, true, true);
    log.start();
    receiverLogger.addAppender(log);
    receiverLogger.setLevel(Level.INFO);
  }

  @AfterEach
  void stopApi() {
    receiverLogger.detachAppender(log);
    receiverLogger.setLevel(null);
    api.close();
  }

  /** Verifies that a delivery signed with the trigger's secret is accepted and logged with its type, id and key. */
  @Test
  void acceptsAndLogsASignedDelivery() throws InterruptedException {
    // GIVEN a trigger whose webhook is the demo receiver, with a known secret
    HttpResponse<Buffer> created = api.post(demoTrigger());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);

    // WHEN a FIRE for it is delivered, signed as the delivery side signs it
    byte[] body = payload("FIRE");
    HttpResponse<Buffer> response = send(body, sign(body, Instant.now()));

    // THEN it is accepted and one INFO line shows the event
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(awaitLines(1)).containsExactly("demo webhook received [trigger: demo_alert, type: FIRE, event: "
        + "0123456789abcdef0123456789abcdef, key: ACC-0001, signature: valid]");
  }

  /** Verifies that a tampered body, a stale timestamp, a missing signature or an unknown trigger are 401. */
  @Test
  void refusesDeliveriesThatDoNotVerify() throws InterruptedException {
    // GIVEN the demo trigger and a correctly signed FIRE
    assertThat(api.post(demoTrigger()).statusCode()).isEqualTo(201);
    byte[] body = payload("FIRE");
    WebhookHeaders good = sign(body, Instant.now());
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("150", "999").getBytes(StandardCharsets.UTF_8);
    byte[] otherTrigger = new String(body, StandardCharsets.UTF_8).replace("demo_alert", "nobody")
        .getBytes(StandardCharsets.UTF_8);

    // WHEN it is altered in each way and sent
    List<HttpResponse<Buffer>> responses = List.of(
        send(tampered, good),
        send(body, sign(body, Instant.now().minusSeconds(3600))),
        send(body, new WebhookHeaders(good.id(), good.timestamp(), null)),
        send(otherTrigger, sign(otherTrigger, Instant.now())));

    // THEN each is refused with 401 invalid_signature and a WARN, and nothing is logged as received
    for (HttpResponse<Buffer> response : responses) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("invalid_signature");
    }
    assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(4);
    assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO).isEmpty();
  }

  private List<String> awaitLines(int count) throws InterruptedException {
    // the line is written once the key is known, just after the answer
    for (int i = 0; i < 100 && log.list.stream().filter(e -> e.getLevel() == Level.INFO).count() < count; i++) {
      Thread.sleep(20);
    }
    return log.list.stream().filter(e -> e.getLevel() == Level.INFO).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private HttpResponse<Buffer> send(byte[] body, WebhookHeaders headers) {
    HttpRequest<Buffer> request = api.request(HttpMethod.POST, DemoWebhookReceiver.PATH)
        .putHeader("content-type", "application/json");
    headers.asMap().forEach((name, value) -> {
      if (value != null) {
        request.putHeader(name, value);
      }
    });
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  private static WebhookHeaders sign(byte[] body, Instant at) {
    return WebhookSigner.create(WebhookSecret.parse(SECRET)).sign("0123456789abcdef0123456789abcdef", at, body);
  }

  private static byte[] payload(String type) {
    return new WebhookPayload("0123456789abcdef0123456789abcdef", type, "demo_alert", new BigInteger("1767225600250"),
        new JsonObject().put("account", "ACC-0001").put("quantity", 150).put("active", true).encode())
        .encode(Instant.now());
  }

  private static String demoTrigger() {
    return """
        {"name": "demo_alert", "source": "positions",
         "webhook": {"url": "http://127.0.0.1:8080/demo/webhook", "secret": "%s"},
         "fire": {"quantity": {"_gt": 100}}}""".formatted(SECRET);
  }
}
