package io.tycostream.triggers.store;

/**
 * How many triggers may exist, in total and per source; {@link Store#createTrigger(NewTrigger, TriggerLimits)}
 * counts them in the transaction that inserts, so concurrent creations never exceed them.
 *
 * @param maxTotal     the most triggers the store holds
 * @param maxPerSource the most triggers watching one source
 */
public record TriggerLimits(int maxTotal, int maxPerSource) {

  /** No limit: what {@link Store#createTrigger(NewTrigger)} applies. */
  public static final TriggerLimits NONE = new TriggerLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

  public TriggerLimits {
    if (maxTotal < 1 || maxPerSource < 1) {
      throw new IllegalArgumentException("trigger limits must be at least 1, were " + maxTotal + " and "
          + maxPerSource);
    }
  }
}
