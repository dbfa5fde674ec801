package io.tycostream.triggers.store;

/**
 * Which triggers a page of the list holds ({@link Store#listTriggers(TriggerFilter, String, int, long)}); each
 * criterion is optional ({@code null}). Immutable.
 *
 * @param source only triggers watching this source
 * @param status only triggers in this status
 */
public record TriggerFilter(String source, TriggerStatus status) {

  /** Every trigger. */
  public static final TriggerFilter ALL = new TriggerFilter(null, null);
}
