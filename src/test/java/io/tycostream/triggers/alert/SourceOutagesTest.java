package io.tycostream.triggers.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.source.SourceState;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies the outage bookkeeping behind SOURCE_DISCONNECTED and SOURCE_RECONNECTED, without Vert.x. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SourceOutagesTest {

  private final SourceOutages outages = new SourceOutages();

  /** Verifies that repeated failures within one outage start it once and report it once per endpoint. */
  @Test
  void reportsOneOutageOncePerEndpoint() {
    // GIVEN a source failing three times in a row
    assertThat(outages.stateChanged("s", SourceState.RETRYING, "refused", 1_000)).isPresent();
    assertThat(outages.stateChanged("s", SourceState.RETRYING, "refused again", 1_200)).isEmpty();
    assertThat(outages.stateChanged("s", SourceState.RETRYING, "still refused", 1_900)).isEmpty();

    // WHEN the grace periods end, THEN each endpoint is told once, with the first failure's time and the last cause
    assertThat(outages.graceEnded("s", 1_000, "ops")).hasValueSatisfying(outage -> {
      assertThat(outage.startedAtMs()).isEqualTo(1_000);
      assertThat(outage.failure()).isEqualTo("still refused");
    });
    assertThat(outages.graceEnded("s", 1_000, "ops")).isEmpty();
    assertThat(outages.graceEnded("s", 1_000, "pager")).isPresent();

    // AND the end of the outage lists who was told
    assertThat(outages.ended("s")).hasValueSatisfying(outage ->
        assertThat(outage.reportedTo()).containsExactlyInAnyOrder("ops", "pager"));
  }

  /** Verifies that a grace period of an outage that ended (or was replaced by a newer one) reports nothing. */
  @Test
  void ignoresTheGraceOfAnEndedOutage() {
    outages.stateChanged("s", SourceState.RETRYING, "refused", 1_000);
    assertThat(outages.ended("s")).hasValueSatisfying(outage -> assertThat(outage.reportedTo()).isEmpty());
    outages.stateChanged("s", SourceState.RETRYING, "refused", 5_000);

    assertThat(outages.graceEnded("s", 1_000, "ops")).isEmpty();
    assertThat(outages.graceEnded("s", 5_000, "ops")).isPresent();
  }

  /** Verifies that connected and stopped states never open an outage. */
  @Test
  void opensNoOutageWhenConnectedOrStopped() {
    assertThat(outages.stateChanged("s", SourceState.CONNECTED, null, 1_000)).isEmpty();
    assertThat(outages.stateChanged("s", SourceState.STOPPED, null, 1_000)).isEmpty();
    assertThat(outages.ended("s")).isEmpty();
  }

  /** Verifies that an alert's id depends only on its type, subject and occasion. */
  @Test
  void derivesDeterministicEventIds() {
    String id = AlertEventId.of(AlertType.SOURCE_DISCONNECTED, "s", "1000");

    assertThat(id).hasSize(32).matches("[0-9a-f]{32}")
        .isEqualTo(AlertEventId.of(AlertType.SOURCE_DISCONNECTED, "s", "1000"))
        .isNotEqualTo(AlertEventId.of(AlertType.SOURCE_RECONNECTED, "s", "1000"))
        .isNotEqualTo(AlertEventId.of(AlertType.SOURCE_DISCONNECTED, "s", "1001"));
  }
}
