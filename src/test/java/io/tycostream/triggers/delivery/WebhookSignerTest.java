package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.delivery.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies that webhooks are signed and verified exactly as the Standard Webhooks specification defines. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookSignerTest {

  // Reference vector of the Standard Webhooks libraries: standard-webhooks/standard-webhooks,
  // libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java (verifyWebhookSignWorks), the same values
  // appear in the PHP and svix test suites; also reproduced with `openssl dgst -sha256 -mac HMAC`.
  private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long VECTOR_TIMESTAMP = 1614265330L;
  private static final String VECTOR_BODY = "{\"test\": 2432232314}";
  private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static final Instant SENT_AT = Instant.parse("2026-01-15T10:30:45.123Z");
  private static final byte[] BODY = "{\"event_id\":\"3f9a\",\"data\":{\"x\":1.5}}".getBytes(StandardCharsets.UTF_8);

  private final SecureRandom random = new SecureRandom();

  /** A second, separately written implementation of the scheme, sharing no code with the signer. */
  private static String independentSignature(String whsec, String id, String timestamp, byte[] body)
      throws Exception {
    byte[] key = Base64.getDecoder().decode(whsec.replaceFirst("^whsec_", ""));
    byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, content, 0, prefix.length);
    System.arraycopy(body, 0, content, prefix.length, body.length);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(content));
  }

  private static void assertRejected(ThrowingCallable verification, Reason reason) {
    assertThatThrownBy(verification).isInstanceOf(WebhookVerificationException.class)
        .satisfies(e -> assertThat(((WebhookVerificationException) e).reason()).isEqualTo(reason));
  }

  /** Verifies that signing the published test vector reproduces the published signature. */
  @Test
  void signsTheStandardWebhooksTestVector() {
    // GIVEN a signer with the reference secret
    WebhookSigner signer = WebhookSigner.create(WebhookSecret.parse(VECTOR_SECRET));

    // WHEN the reference message is signed
    WebhookHeaders headers = signer.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY.getBytes(StandardCharsets.UTF_8));

    // THEN the headers carry the reference values
    assertThat(headers.signature()).isEqualTo(VECTOR_SIGNATURE);
    assertThat(headers.id()).isEqualTo(VECTOR_ID);
    assertThat(headers.timestamp()).isEqualTo("1614265330");
  }

  /** Verifies that the published test vector verifies at its own timestamp. */
  @Test
  void verifiesTheStandardWebhooksTestVector() {
    // GIVEN the reference headers as a receiver gets them
    WebhookSigner verifier = WebhookSigner.create(WebhookSecret.parse(VECTOR_SECRET));
    WebhookHeaders received = new WebhookHeaders(VECTOR_ID, "1614265330", VECTOR_SIGNATURE);

    // WHEN verified at the sending time / THEN accepted
    assertThatCode(() -> verifier.verify(received, VECTOR_BODY.getBytes(StandardCharsets.UTF_8),
        Instant.ofEpochSecond(VECTOR_TIMESTAMP))).doesNotThrowAnyException();
  }

  /** Verifies that an independent HMAC implementation agrees with our signatures for random keys and bodies. */
  @Test
  void independentImplementationAgreesOnRandomMessages() throws Exception {
    // GIVEN random secrets, ids and bodies, including non-ASCII and arbitrary bytes
    Random bodies = new Random(42);
    for (int i = 0; i < 200; i++) {
      WebhookSecret secret = WebhookSecret.generate(random);
      String id = "evt" + Long.toHexString(bodies.nextLong()) + "_ü";
      byte[] body = new byte[bodies.nextInt(2000)];
      bodies.nextBytes(body);
      Instant sendTime = Instant.ofEpochSecond(1_600_000_000L + bodies.nextInt(1_000_000_000), bodies.nextInt(999));

      // WHEN our signer signs
      WebhookHeaders headers = WebhookSigner.create(secret).sign(id, sendTime, body);

      // THEN the independent implementation computes the same header value from the same inputs
      assertThat(headers.timestamp()).isEqualTo(Long.toString(sendTime.getEpochSecond()));
      assertThat(headers.signature())
          .isEqualTo(independentSignature(secret.value(), id, headers.timestamp(), body));
    }
  }

  /** Verifies that the timestamp header is the whole epoch seconds of the send time, as a decimal string. */
  @Test
  void timestampHeaderIsEpochSecondsOfSendTime() {
    // GIVEN a send time with a fraction of a second
    WebhookSigner signer = WebhookSigner.create(WebhookSecret.generate(random));

    // WHEN signed
    WebhookHeaders headers = signer.sign("evt_1", Instant.parse("2024-01-15T10:30:45.999Z"), BODY);

    // THEN the header is the epoch second, truncated
    assertThat(headers.timestamp()).isEqualTo("1705314645");
    assertThat(headers.asMap()).containsOnlyKeys("webhook-id", "webhook-timestamp", "webhook-signature");
  }

  /** Verifies that a webhook we sign is accepted by our own verifier. */
  @Test
  void acceptsOwnSignatureWithinTolerance() {
    // GIVEN a signed webhook
    WebhookSigner signer = WebhookSigner.create(WebhookSecret.generate(random));
    WebhookHeaders headers = signer.sign("evt_1", SENT_AT, BODY);

    // WHEN verified now, and exactly at both ends of the 5 minute window / THEN accepted
    assertThatCode(() -> signer.verify(headers, BODY, SENT_AT)).doesNotThrowAnyException();
    assertThatCode(() -> signer.verify(headers, BODY, SENT_AT.plusSeconds(300))).doesNotThrowAnyException();
    assertThatCode(() -> signer.verify(headers, BODY, SENT_AT.minusSeconds(300))).doesNotThrowAnyException();
  }

  /** Verifies that changing any signed part of the webhook makes verification fail. */
  @Test
  void rejectsTamperedBodyTimestampAndId() {
    // GIVEN a signed webhook
    WebhookSigner signer = WebhookSigner.create(WebhookSecret.generate(random));
    WebhookHeaders headers = signer.sign("evt_1", SENT_AT, BODY);
    byte[] tamperedBody = BODY.clone();
    tamperedBody[tamperedBody.length - 3] = '6';
    String laterSecond = Long.toString(Long.parseLong(headers.timestamp()) + 1);

    // WHEN one part is changed / THEN no signature matches
    assertRejected(() -> signer.verify(headers, tamperedBody, SENT_AT), Reason.NO_MATCHING_SIGNATURE);
    assertRejected(() -> signer.verify(new WebhookHeaders("evt_1", laterSecond, headers.signature()), BODY,
        SENT_AT), Reason.NO_MATCHING_SIGNATURE);
    assertRejected(() -> signer.verify(new WebhookHeaders("evt_2", headers.timestamp(), headers.signature()), BODY,
        SENT_AT), Reason.NO_MATCHING_SIGNATURE);
    // a body re-serialised with other whitespace is a different body
    byte[] reformatted = new String(BODY, StandardCharsets.UTF_8).replace(",", ", ").getBytes(StandardCharsets.UTF_8);
    assertRejected(() -> signer.verify(headers, reformatted, SENT_AT), Reason.NO_MATCHING_SIGNATURE);
  }

  /** Verifies that a webhook signed with another secret is rejected. */
  @Test
  void rejectsSignatureMadeWithAnotherSecret() {
    // GIVEN a webhook signed with one secret
    WebhookHeaders headers = WebhookSigner.create(WebhookSecret.generate(random)).sign("evt_1", SENT_AT, BODY);

    // WHEN verified with another / THEN rejected
    WebhookSigner other = WebhookSigner.create(WebhookSecret.generate(random));
    assertRejected(() -> other.verify(headers, BODY, SENT_AT), Reason.NO_MATCHING_SIGNATURE);
  }

  /** Verifies that timestamps outside the tolerance window are rejected in both directions. */
  @Test
  void rejectsTimestampsOutsideTheToleranceWindow() {
    // GIVEN a correctly signed webhook
    WebhookSigner signer = WebhookSigner.create(WebhookSecret.generate(random));
    WebhookHeaders headers = signer.sign("evt_1", SENT_AT, BODY);

    // WHEN verified too late or too early / THEN rejected with the direction
    assertRejected(() -> signer.verify(headers, BODY, SENT_AT.plusSeconds(301)), Reason.TIMESTAMP_TOO_OLD);
    assertRejected(() -> signer.verify(headers, BODY, SENT_AT.minusSeconds(301)), Reason.TIMESTAMP_TOO_NEW);
    // and a custom window applies instead of the default
    assertRejected(() -> signer.verify(headers, BODY, SENT_AT.plusSeconds(11), Duration.ofSeconds(10)),
        Reason.TIMESTAMP_TOO_OLD);
  }

  /** Verifies that a header with several signatures is accepted when one of them matches. */
  @Test
  void acceptsMultiSignatureHeaderWhenOneMatches() throws Exception {
    // GIVEN a header with bogus, other-version and one valid signature
    WebhookSecret secret = WebhookSecret.generate(random);
    WebhookSigner signer = WebhookSigner.create(secret);
    String timestamp = Long.toString(SENT_AT.getEpochSecond());
    String valid = independentSignature(secret.value(), "evt_1", timestamp, BODY);
    String bogus = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    String otherVersion = valid.replace("v1,", "v2,");
    WebhookHeaders many = new WebhookHeaders("evt_1", timestamp, bogus + " v1,@@@ " + otherVersion + " " + valid);
    WebhookHeaders noneValid = new WebhookHeaders("evt_1", timestamp, bogus + " " + otherVersion);

    // WHEN verified / THEN the first is accepted, the one without a valid v1 signature rejected
    assertThatCode(() -> signer.verify(many, BODY, SENT_AT)).doesNotThrowAnyException();
    assertRejected(() -> signer.verify(noneValid, BODY, SENT_AT), Reason.NO_MATCHING_SIGNATURE);
  }

  /** Verifies that during rotation both the old and the new secret holder can verify. */
  @Test
  void rotationSignsWithEverySecret() throws Exception {
    // GIVEN a signer with a new and an old secret
    WebhookSecret current = WebhookSecret.generate(random);
    WebhookSecret previous = WebhookSecret.generate(random);
    WebhookHeaders headers = WebhookSigner.create(current, previous).sign("evt_1", SENT_AT, BODY);

    // WHEN receivers hold only one of them / THEN each accepts, and the header holds both signatures
    assertThatCode(() -> WebhookSigner.create(current).verify(headers, BODY, SENT_AT)).doesNotThrowAnyException();
    assertThatCode(() -> WebhookSigner.create(previous).verify(headers, BODY, SENT_AT)).doesNotThrowAnyException();
    assertThat(headers.signature()).isEqualTo(
        independentSignature(current.value(), "evt_1", headers.timestamp(), BODY) + " "
            + independentSignature(previous.value(), "evt_1", headers.timestamp(), BODY));
  }

  /** Verifies that missing or malformed headers are rejected with a reason naming the header. */
  @Test
  void rejectsMissingAndMalformedHeaders() {
    // GIVEN a valid signed webhook
    WebhookSigner signer = WebhookSigner.create(WebhookSecret.generate(random));
    WebhookHeaders ok = signer.sign("evt_1", SENT_AT, BODY);

    // WHEN a header is missing or malformed / THEN the reason says which
    assertThatThrownBy(() -> signer.verify(new WebhookHeaders(null, ok.timestamp(), ok.signature()), BODY, SENT_AT))
        .hasMessageContaining("webhook-id");
    assertRejected(() -> signer.verify(new WebhookHeaders("evt_1", "", ok.signature()), BODY, SENT_AT),
        Reason.MISSING_HEADER);
    assertRejected(() -> signer.verify(new WebhookHeaders("evt_1", ok.timestamp(), null), BODY, SENT_AT),
        Reason.MISSING_HEADER);
    assertRejected(() -> signer.verify(new WebhookHeaders("evt_1", ok.timestamp() + ".5", ok.signature()), BODY,
        SENT_AT), Reason.MALFORMED_TIMESTAMP);
    assertRejected(() -> signer.verify(new WebhookHeaders("evt_1", "-" + ok.timestamp(), ok.signature()), BODY,
        SENT_AT), Reason.MALFORMED_TIMESTAMP);
  }

  /** Verifies that headers read through a lookup (like a Vert.x MultiMap::get) verify. */
  @Test
  void readsHeadersThroughALookup() {
    // GIVEN signed headers delivered as a map
    WebhookSigner signer = WebhookSigner.create(WebhookSecret.generate(random));
    Map<String, String> wire = signer.sign("evt_1", SENT_AT, BODY).asMap();

    // WHEN read back through a lookup / THEN accepted
    assertThatCode(() -> signer.verify(WebhookHeaders.from(wire::get), BODY, SENT_AT)).doesNotThrowAnyException();
  }

  /** Verifies that ids that would make the signed content ambiguous are refused. */
  @Test
  void refusesIdsContainingTheDelimiter() {
    // GIVEN a signer / WHEN asked to sign with an unsafe id / THEN refused
    WebhookSigner signer = WebhookSigner.create(WebhookSecret.generate(random));
    assertThatThrownBy(() -> signer.sign("evt.1", SENT_AT, BODY)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("webhookId");
    assertThatThrownBy(() -> signer.sign("", SENT_AT, BODY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign("evt 1", SENT_AT, BODY)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Verifies that one signer used from several threads at once produces correct signatures. */
  @Test
  void signsCorrectlyFromConcurrentThreads() throws Exception {
    // GIVEN one signer shared by four threads
    WebhookSecret secret = WebhookSecret.parse(VECTOR_SECRET);
    WebhookSigner shared = WebhookSigner.create(secret);
    byte[] vectorBody = VECTOR_BODY.getBytes(StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      // WHEN each signs the reference vector 2,000 times
      List<Future<Long>> mismatches = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        mismatches.add(pool.submit(() -> {
          long wrong = 0;
          for (int i = 0; i < 2_000; i++) {
            if (!shared.sign(VECTOR_ID, VECTOR_TIMESTAMP, vectorBody).signature().equals(VECTOR_SIGNATURE)) {
              wrong++;
            }
          }
          return wrong;
        }));
      }
      // THEN every signature is the reference one
      for (Future<Long> result : mismatches) {
        assertThat(result.get(20, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
