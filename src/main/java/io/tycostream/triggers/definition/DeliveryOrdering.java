package io.tycostream.triggers.definition;

import java.util.Arrays;
import java.util.Optional;

/**
 * How strictly a trigger's webhooks keep the order of each key's events ({@code ordering}).
 * <ul>
 *   <li>{@link #CONCURRENT} (default): a key's events leave one after the other as long as none is retried; a
 *       failed attempt waits for its retry while the key's later events go on.</li>
 *   <li>{@link #PER_KEY}: a key's later event is not sent until every earlier one is delivered or dead-lettered,
 *       across retries and restarts (the store's claim skips it); other keys keep flowing.</li>
 * </ul>
 */
public enum DeliveryOrdering {
  CONCURRENT("concurrent"),
  PER_KEY("per_key");

  private final String value;

  DeliveryOrdering(String value) {
    this.value = value;
  }

  /** The value in the definition's {@code ordering} field. */
  public String value() {
    return value;
  }

  /** The ordering written as {@code value}, if it names one (exact, lower case). */
  public static Optional<DeliveryOrdering> of(String value) {
    return Arrays.stream(values()).filter(ordering -> ordering.value.equals(value)).findFirst();
  }
}
