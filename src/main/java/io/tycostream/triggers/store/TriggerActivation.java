package io.tycostream.triggers.store;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A trigger whose state was staged ({@link Store#stageBaseline}) becomes {@link TriggerStatus#ACTIVE} in a
 * {@link SourceCommit}: from then on it is evaluated for every change at a time {@code >= baselineFrontier}.
 *
 * @param triggerName      the trigger
 * @param baselineFrontier every change below it is reflected in the trigger's state (its snapshot and catch-up)
 */
public record TriggerActivation(String triggerName, BigInteger baselineFrontier) {

  public TriggerActivation {
    Objects.requireNonNull(triggerName, "triggerName");
    Objects.requireNonNull(baselineFrontier, "baselineFrontier");
  }
}
