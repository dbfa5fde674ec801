package io.tycostream.triggers.store;

/**
 * Which triggers a page of the list holds ({@link Store#listTriggers(TriggerFilter, String, int, long)}); each
 * criterion is optional ({@code null}). Immutable.
 *
 * @param source     only triggers watching this source
 * @param status     only triggers in this status
 * @param enabled    only enabled ({@code true}) or disabled ({@code false}) triggers
 * @param labelKey   only triggers whose {@code metadata} has this key ...
 * @param labelValue ... with this value (both or neither)
 */
public record TriggerFilter(String source, TriggerStatus status, Boolean enabled, String labelKey,
                            String labelValue) {

  /** Every trigger. */
  public static final TriggerFilter ALL = new TriggerFilter(null, null);

  public TriggerFilter {
    if ((labelKey == null) != (labelValue == null)) {
      throw new IllegalArgumentException("a label filter needs its key and its value");
    }
  }

  /** By source and status only. */
  public TriggerFilter(String source, TriggerStatus status) {
    this(source, status, null, null, null);
  }
}
