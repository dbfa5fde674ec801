package io.tycostream.triggers.trigger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that event ids and canonical keys follow the published contract byte for byte. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventIdTest {

  private static final BigInteger TS = new BigInteger("1705316445123");

  /** The first 32 hex chars of SHA-256 over the hand-written input, computed without the code under test. */
  private static String expectedId(String input) throws Exception {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder();
    for (byte b : hash) {
      hex.append(String.format("%02x", b));
    }
    return hex.substring(0, 32);
  }

  /** Verifies the id of the design's example key. */
  @Test
  void hashesTriggerKeyAndTimestamp() throws Exception {
    assertThat(EventId.of("risk_alert", List.of("A-7"), TS))
      .isEqualTo(expectedId("risk_alert:[\"A-7\"]:1705316445123"))
      .matches("[0-9a-f]{32}");
  }

  /** Verifies the canonical form of a composite key of every value kind. */
  @Test
  void canonicalisesCompositeKeys() throws Exception {
    List<Object> key = Arrays.asList("a\"b\\c\n\u0001é/", 42L, new BigDecimal("1.50"), 2.0d, true, null,
      OffsetDateTime.of(2026, 1, 15, 11, 30, 45, 120_000_000, ZoneOffset.ofHours(1)),
      LocalDateTime.of(2026, 1, 15, 10, 30), LocalDate.of(2026, 1, 15), new BigInteger("123456789012345678901"));
    String canonical = "[\"a\\\"b\\\\c\\n\\u0001é/\",42,1.5,2,true,null,\"2026-01-15T10:30:45.12Z\","
      + "\"2026-01-15T10:30:00\",\"2026-01-15\",123456789012345678901]";
    assertThat(CanonicalKey.json(key)).isEqualTo(canonical);
    assertThat(EventId.of("t", key, TS)).isEqualTo(expectedId("t:" + canonical + ":1705316445123"));
  }

  /** Verifies that numerically equal decimals give one id whatever their scale, and zero is 0. */
  @Test
  void equalDecimalsGiveOneId() throws Exception {
    assertThat(EventId.of("t", List.of(new BigDecimal("1.50")), TS))
      .isEqualTo(EventId.of("t", List.of(new BigDecimal("1.5")), TS));
    assertThat(CanonicalKey.json(List.of(new BigDecimal("0.000"), new BigDecimal("1E+3"), 0.1d, -0.0d)))
      .isEqualTo("[0,1000,0.1,0]");
    assertThat(EventId.of("t", List.of(new BigDecimal("0.00")), BigInteger.ONE)).isEqualTo(expectedId("t:[0]:1"));
  }

  /** Verifies that the trigger, the key and the timestamp each change the id. */
  @Test
  void everyPartChangesTheId() {
    String id = EventId.of("t", List.of(1L), TS);
    assertThat(EventId.of("u", List.of(1L), TS)).isNotEqualTo(id);
    assertThat(EventId.of("t", List.of(2L), TS)).isNotEqualTo(id);
    assertThat(EventId.of("t", List.of(1L), TS.add(BigInteger.ONE))).isNotEqualTo(id);
    assertThat(EventId.of("t", List.of(1L), TS)).isEqualTo(id);
  }
}
