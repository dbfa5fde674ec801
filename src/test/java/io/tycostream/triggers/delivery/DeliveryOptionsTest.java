package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies the defaults and the validation of delivery settings. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryOptionsTest {

  /** Verifies the documented defaults, which must validate. */
  @Test
  void defaultsAreTheDocumentedOnes() {
    // GIVEN / WHEN default options
    DeliveryOptions options = new DeliveryOptions().validate();

    // THEN they are the values the issue asks for
    assertThat(options.getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.getRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.getMaxInFlight()).isEqualTo(256);
    assertThat(options.getMaxInFlightPerEndpoint()).isEqualTo(64);
    assertThat(options.getClaimBatch()).isEqualTo(128);
    assertThat(options.getOutcomeFlushInterval()).isEqualTo(Duration.ofMillis(5));
    assertThat(options.getOutcomeBatch()).isEqualTo(512);
    assertThat(options.getResolutionTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.getLease()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.getPollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(options.getBreakerMaxFailures()).isEqualTo(5);
    assertThat(options.getBreakerResetTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.getAllowedTargets().isEmpty()).isTrue();
    assertThat(options.isRequireHttps()).isTrue();
    assertThat(options.getTrust()).isNull();
    assertThat(options.getClientCertificate()).isNull();
    assertThat(options.getDrainTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  /** Verifies that a lease no longer than one whole attempt is refused: it would let a slow attempt be sent twice. */
  @Test
  void refusesALeaseShorterThanAnAttempt() {
    // GIVEN a 10 s request timeout and a 2 s connect timeout
    DeliveryOptions options = new DeliveryOptions().setLease(Duration.ofSeconds(12));

    // WHEN / THEN validation names the lease
    assertThatThrownBy(options::validate).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    assertThat(options.setLease(Duration.ofMillis(12_001)).validate()).isSameAs(options);
  }

  /** Verifies that out-of-range numbers are refused with the setting's name. */
  @Test
  void refusesOutOfRangeSettings() {
    // GIVEN / WHEN / THEN
    assertThatThrownBy(() -> new DeliveryOptions().setMaxInFlight(0).validate()).hasMessageContaining("maxInFlight");
    assertThatThrownBy(() -> new DeliveryOptions().setClaimBatch(0).validate()).hasMessageContaining("claimBatch");
    assertThatThrownBy(() -> new DeliveryOptions().setMaxInFlightPerEndpoint(0).validate())
      .hasMessageContaining("maxInFlightPerEndpoint");
    assertThatThrownBy(() -> new DeliveryOptions().setOutcomeBatch(0).validate()).hasMessageContaining("outcomeBatch");
    assertThatThrownBy(() -> new DeliveryOptions().setOutcomeFlushInterval(Duration.ZERO).validate())
      .hasMessageContaining("outcomeFlushInterval");
    // a per-endpoint limit above the overall one acts as the overall one
    assertThat(new DeliveryOptions().setMaxInFlight(8).getMaxInFlightPerEndpoint()).isEqualTo(8);
    assertThatThrownBy(() -> new DeliveryOptions().setBreakerMaxFailures(0).validate())
      .hasMessageContaining("breakerMaxFailures");
    assertThatThrownBy(() -> new DeliveryOptions().setPollInterval(Duration.ZERO).validate())
      .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> new DeliveryOptions().setDrainTimeout(Duration.ofMillis(-1)).validate())
      .hasMessageContaining("drainTimeout");
    // zero is allowed: a stop then abandons what is in flight at once
    assertThat(new DeliveryOptions().setDrainTimeout(Duration.ZERO).validate().getDrainTimeout()).isZero();
  }
}
