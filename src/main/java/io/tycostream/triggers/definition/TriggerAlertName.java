package io.tycostream.triggers.definition;

import java.util.Optional;

/**
 * The alert outbox name of a trigger's own {@code alert_url}: {@code trigger:<name>}. Alerts about a trigger are
 * stored once per recipient, like those of the configured {@code alerts:} endpoints, under this name; the sender
 * resolves it to the trigger's current {@code alert_url} and secret when it sends. Configured alert names may not
 * start with {@link #PREFIX}, so the two never clash. Pure and thread-safe.
 */
public final class TriggerAlertName {

  /** What every trigger alert name starts with; refused at the start of a configured alert name. */
  public static final String PREFIX = "trigger:";

  private TriggerAlertName() {
  }

  /** The outbox name of {@code trigger}'s {@code alert_url}. */
  public static String of(String trigger) {
    return PREFIX + trigger;
  }

  /** The trigger an outbox name stands for, or empty for a configured alert endpoint. */
  public static Optional<String> triggerOf(String alertName) {
    return alertName.startsWith(PREFIX) ? Optional.of(alertName.substring(PREFIX.length())) : Optional.empty();
  }
}
