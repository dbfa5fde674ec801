package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerPage;
import io.tycostream.triggers.store.TriggerStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies how a PATCH merges {@code retry} part by part and replaces an expiry with a {@code ttl}, and how the
 * {@code expired} status is read and filtered.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerPatchRetryTest {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  private static StoredTrigger stored(String name, String extra, boolean enabled) {
    String definition = "{\"name\":\"" + name + "\",\"source\":\"positions\",\"webhook\":{\"url\":"
        + "\"https://hooks.example.com/x\"},\"fire\":{\"q\":{\"_gt\":1}}" + extra + "}";
    return new StoredTrigger(name, "positions", definition, "s", null, null, TriggerStatus.ACTIVE, BigInteger.ONE, AT,
        AT, null, null, 1, enabled, false);
  }

  /** Verifies that a part set merges, a part set to null goes back to the default, and an emptied policy goes. */
  @Test
  void mergesRetryPartByPart() {
    StoredTrigger current = stored("t", ",\"retry\":{\"max_attempts\":5,\"jitter\":\"full\"}", true);

    JsonObject merged = new JsonObject(TriggerPatch.apply(current,
        "{\"retry\": {\"max_attempts\": 7, \"jitter\": null, \"initial_delay\": \"2s\"}}").definitionJson());
    JsonObject emptied = new JsonObject(TriggerPatch.apply(current,
        "{\"retry\": {\"max_attempts\": null, \"jitter\": null}}").definitionJson());

    assertThat(merged.getJsonObject("retry"))
        .isEqualTo(new JsonObject().put("max_attempts", 7).put("initial_delay", "2s"));
    assertThat(emptied.containsKey("retry")).isFalse();
  }

  /** Verifies that a ttl replaces the stored expires_at (no "both given" refusal), and "ttl": null removes it. */
  @Test
  void replacesTheExpiryWithATtl() {
    StoredTrigger current = stored("t", ",\"expires_at\":\"2026-12-01T09:00:00.000Z\"", true);

    String withTtl = TriggerPatch.apply(current, "{\"ttl\": \"1h\"}").definitionJson();
    String withoutExpiry = TriggerPatch.apply(current, "{\"ttl\": null}").definitionJson();

    Instant expiresAt = TriggerDefinitionParser.parse(withTtl).expiresAt();
    assertThat(expiresAt).isAfter(Instant.now().plusSeconds(3_500));
    assertThat(TriggerDefinitionParser.parse(withoutExpiry).expiresAt()).isNull();
  }

  /** Verifies that only an enabled trigger past its expiry reads expired, and the page filter on that. */
  @Test
  void readsAndFiltersTheExpiredStatus() {
    StoredTrigger expired = stored("a", ",\"expires_at\":\"2026-12-01T09:00:00.000Z\"", true);
    StoredTrigger disabled = stored("b", ",\"expires_at\":\"2026-12-01T09:00:00.000Z\"", false);
    StoredTrigger living = stored("c", ",\"expires_at\":\"2099-12-01T11:00:00.000Z\"", true);
    TriggerPage page = new TriggerPage(List.of(expired, disabled, living), "c");

    assertThat(TriggerExpiryStatus.filter(page, "expired", AT).triggers()).containsExactly(expired);
    assertThat(TriggerExpiryStatus.filter(page, "active", AT).triggers()).containsExactly(disabled, living);
    assertThat(TriggerExpiryStatus.filter(page, "expired", AT).lastName()).isEqualTo("c");
    assertThat(TriggerJson.trigger(expired).getString("status")).isEqualTo("expired");
    assertThat(TriggerJson.trigger(disabled).getString("status")).isEqualTo("disabled");
    assertThat(TriggerJson.trigger(living).getString("status")).isEqualTo("active");
  }
}
