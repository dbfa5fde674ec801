package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerStatus;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Verifies that the signer of an endpoint is chosen by the attempt's send time during a rotation overlap. */
class TriggerEndpointRotationTest {

  private static final Instant AT = Instant.parse("2026-01-15T10:00:00Z");
  private static final byte[] BODY = "{\"event_id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);

  /** Verifies both signatures (new first) before the overlap ends and only the new one from its end on. */
  @Test
  void signsWithBothSecretsUntilTheOverlapEnds() {
    // GIVEN a trigger whose secret was rotated with an overlap ending at AT + 60 s
    WebhookSecret old = WebhookSecret.generate(new SecureRandom());
    WebhookSecret current = WebhookSecret.generate(new SecureRandom());
    Instant ends = AT.plusSeconds(60);
    TriggerEndpoint endpoint = TriggerEndpoint.of(new StoredTrigger("t", "positions",
        "{\"name\":\"t\",\"source\":\"positions\",\"webhook\":{\"url\":\"https://hooks.example.com/x\"},"
            + "\"fire\":{\"q\":{\"_gt\":1}}}", current.value(), old.value(), ends, TriggerStatus.ACTIVE, null, AT, AT, null, null, 1, true, false));
    assertThat(endpoint.problem()).isNull();

    // WHEN attempts are signed before and at the end of the overlap
    WebhookHeaders during = endpoint.signerAt(ends.minusMillis(1)).sign("e1", AT, BODY);
    WebhookHeaders after = endpoint.signerAt(ends).sign("e1", AT, BODY);

    // THEN during it carries two signatures, each verifying under its own secret; after, only the new one
    String[] both = during.signature().split(" ");
    assertThat(both).hasSize(2);
    assertThat(both[0]).isEqualTo(WebhookSigner.create(current).sign("e1", AT, BODY).signature());
    assertThat(both[1]).isEqualTo(WebhookSigner.create(old).sign("e1", AT, BODY).signature());
    assertThat(after.signature()).isEqualTo(both[0]);
  }
}
