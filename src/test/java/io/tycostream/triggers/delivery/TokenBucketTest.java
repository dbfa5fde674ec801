package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies the token bucket's arithmetic on given times: burst, refill, waits, fractional rates, reconfiguration. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenBucketTest {

  /** Verifies that a full bucket gives its burst at once, then one token per 1/rate. */
  @Test
  void givesTheBurstThenTheRate() {
    // GIVEN 10 per second with a burst of 5
    TokenBucket bucket = new TokenBucket(10, 5, 0);

    // THEN 5 go at once, the sixth waits 100 ms
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryTake(0)).isTrue();
    }
    assertThat(bucket.tryTake(0)).isFalse();
    assertThat(bucket.msUntilToken(0)).isEqualTo(100);
    assertThat(bucket.tryTake(99)).isFalse();
    assertThat(bucket.tryTake(100)).isTrue();
    // AND over the next second exactly 10 more go
    int taken = 0;
    for (long ms = 100; ms <= 1_100; ms++) {
      while (bucket.tryTake(ms)) {
        taken++;
      }
    }
    assertThat(taken).isEqualTo(10);
  }

  /** Verifies that a quiet bucket saves tokens up to its burst, never more. */
  @Test
  void savesAtMostTheBurst() {
    TokenBucket bucket = new TokenBucket(100, 3, 0);
    for (int i = 0; i < 3; i++) {
      bucket.tryTake(0);
    }

    // WHEN an hour passes
    long later = 3_600_000;

    // THEN only the burst is there
    assertThat(bucket.tokens(later)).isEqualTo(3.0);
  }

  /** Verifies a rate below one per second: one token every two seconds at 0.5. */
  @Test
  void takesFractionalRates() {
    TokenBucket bucket = new TokenBucket(0.5, 1, 0);
    assertThat(bucket.tryTake(0)).isTrue();
    assertThat(bucket.msUntilToken(0)).isEqualTo(2_000);
    assertThat(bucket.tryTake(1_999)).isFalse();
    assertThat(bucket.tryTake(2_000)).isTrue();
  }

  /** Verifies that a new rate applies from the change on and the tokens saved are kept, capped by the new burst. */
  @Test
  void reconfigurationKeepsSavedTokens() {
    TokenBucket bucket = new TokenBucket(1, 10, 0);
    for (int i = 0; i < 8; i++) {
      bucket.tryTake(0);
    }

    // WHEN the burst drops to 1 and the rate rises to 100 per second
    bucket.reconfigure(100, 1, 0);

    // THEN one token is left, and the next comes after 10 ms
    assertThat(bucket.tryTake(0)).isTrue();
    assertThat(bucket.msUntilToken(0)).isEqualTo(10);
  }

  /** Verifies that a time going back takes nothing and gives nothing. */
  @Test
  void ignoresTimeGoingBack() {
    TokenBucket bucket = new TokenBucket(1, 1, 1_000);
    assertThat(bucket.tryTake(1_000)).isTrue();
    assertThat(bucket.tryTake(500)).isFalse();
    assertThat(bucket.tryTake(2_000)).isTrue();
  }

  @Test
  void refusesNonPositiveRates() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
