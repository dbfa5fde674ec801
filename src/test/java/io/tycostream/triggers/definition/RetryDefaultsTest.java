package io.tycostream.triggers.definition;

import io.tycostream.triggers.backoff.Backoff;
import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies the checks of a trigger's retry policy against the service's defaults and event retention. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetryDefaultsTest {

  /** One day of retention, the standard policy otherwise. */
  private static final RetryDefaults ONE_DAY = new RetryDefaults(Duration.ofSeconds(1), 2.0, Duration.ofHours(1), 15,
      Backoff.Jitter.EQUAL, Duration.ofSeconds(10), Duration.ofDays(1));

  private static TriggerDefinition withRetry(String retry) {
    return TriggerDefinitionParser.parseRequest("""
        {"name": "t", "source": "s", "webhook": {"url": "https://example.com/h"}, "fire": {"x": {"_gt": 1}},
         "retry": %s}""".formatted(retry), Checks.NONE).definition();
  }

  /** Verifies that the standard policy fits the standard retention, and a trigger without retry is not checked. */
  @Test
  void acceptsTheDefaults() {
    assertThatCode(() -> RetryDefaults.STANDARD.check(withRetry("{\"max_attempts\": 15}"))).doesNotThrowAnyException();
    assertThatCode(() -> ONE_DAY.check(withRetry("null"))).doesNotThrowAnyException();
  }

  /** Verifies that 100 attempts an hour apart (at least 30 min each with equal jitter) outlast one day of retention. */
  @Test
  void refusesAPolicyLongerThanTheRetentionNamingMaxAttempts() {
    assertThatThrownBy(() -> ONE_DAY.check(withRetry("{\"max_attempts\": 100, \"initial_delay\": \"1h\"}")))
        .isInstanceOfSatisfying(TriggerDefinitionException.class,
            e -> assertThat(e.field()).isEqualTo("retry.max_attempts"));
  }

  /** Verifies that a given initial delay above the default max delay is refused, naming initial_delay. */
  @Test
  void refusesAnInitialDelayAboveTheDefaultMaxDelay() {
    assertThatThrownBy(() -> ONE_DAY.check(withRetry("{\"initial_delay\": \"2h\"}")))
        .isInstanceOfSatisfying(TriggerDefinitionException.class,
            e -> assertThat(e.field()).isEqualTo("retry.initial_delay"));
  }

  /** Verifies that a max age beyond the retention is refused. */
  @Test
  void refusesAMaxAgeBeyondTheRetention() {
    assertThatThrownBy(() -> ONE_DAY.check(withRetry("{\"max_age\": \"2d\"}")))
        .isInstanceOfSatisfying(TriggerDefinitionException.class,
            e -> assertThat(e.field()).isEqualTo("retry.max_age"));
  }

  /** Verifies the shortest span: with no jitter it is the sum of the ceilings, 100 + 200 + 400 ms. */
  @Test
  void sumsTheShortestWaits() {
    Backoff backoff = Backoff.of(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10), Backoff.Jitter.NONE);
    assertThat(RetryDefaults.shortestTotalSpan(backoff, 4)).isEqualTo(Duration.ofMillis(700));
  }
}
