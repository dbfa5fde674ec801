package io.tycostream.triggers.testkit;

import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Outbox steps as delivery takes them (claim, then record outcomes), for tests that need finished events. */
public final class OutboxSteps {

  /** The claimer of these steps. */
  public static final String CLAIMER = "test-claimer";
  private static final long LEASE_MS = 60_000;

  private OutboxSteps() {
  }

  /** Claims every due event at {@code nowMs} and records, for those in {@code ids}, the outcome {@code outcome} gives. */
  public static Future<Void> finish(Store store, long nowMs, Set<String> ids,
                                    Function<StoredEvent, OutboxOutcome> outcome) {
    return store.claimDue(CLAIMER, nowMs, 100_000, LEASE_MS, Set.of()).compose(claimed -> {
      List<OutboxOutcome> outcomes = new ArrayList<>();
      List<OutboxOutcome> releases = new ArrayList<>();
      for (StoredEvent event : claimed) {
        if (ids.contains(event.eventId())) {
          outcomes.add(outcome.apply(event));
        } else {
          releases.add(OutboxOutcome.released(event));
        }
      }
      outcomes.addAll(releases);
      return store.recordOutcomes(outcomes);
    });
  }

  /** Claims every due event at {@code nowMs} and records a delivery by {@code attempt} for those in {@code ids}. */
  public static Future<Void> deliver(Store store, long nowMs, Set<String> ids, DeliveryAttempt attempt) {
    return finish(store, nowMs, ids, event -> OutboxOutcome.delivered(event, attempt));
  }
}
