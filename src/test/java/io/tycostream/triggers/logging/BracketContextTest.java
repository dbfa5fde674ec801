package io.tycostream.triggers.logging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that the bracketed context of our log lines becomes fields, and that other messages give none. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BracketContextTest {

  /** Verifies the common case: each {@code key: value} of the suffix is a field, in order. */
  @Test
  void readsEachItemOfTheSuffix() {
    assertThat(BracketContext.fields("delivery attempt failed [trigger: big_orders, endpoint: https://x.test/h, "
        + "event: 9c1f, attempt: 3, status: 503]"))
        .containsExactly(Map.entry("trigger", "big_orders"), Map.entry("endpoint", "https://x.test/h"),
            Map.entry("event", "9c1f"), Map.entry("attempt", "3"), Map.entry("status", "503"));
  }

  /** Verifies that lists and free text with commas stay whole, and that keys with blanks become snake case. */
  @Test
  void keepsNestedListsAndCommaTextWhole() {
    assertThat(BracketContext.fields("ready [admin: 127.0.0.1:8080, sources: [positions, orders], startup: 812 ms]"))
        .containsExactly(Map.entry("admin", "127.0.0.1:8080"), Map.entry("sources", "[positions, orders]"),
            Map.entry("startup", "812 ms"));
    assertThat(BracketContext.fields("start-up failed [cause: connection refused, retrying later]"))
        .containsExactly(Map.entry("cause", "connection refused, retrying later"));
    assertThat(BracketContext.fields("trigger secret rotated [trigger: t, previous secret valid until: 2026-01-01]"))
        .containsEntry("previous_secret_valid_until", "2026-01-01");
  }

  /** Verifies that a message without a {@code [key: value]} suffix has no fields. */
  @Test
  void givesNoFieldsWithoutASuffix() {
    assertThat(BracketContext.fields("stopping")).isEmpty();
    assertThat(BracketContext.fields("columns [a, b]")).isEmpty();
    assertThat(BracketContext.fields("[orphan")).isEmpty();
    assertThat(BracketContext.fields("nothing]")).isEmpty();
    assertThat(BracketContext.fields(null)).isEmpty();
  }
}
