package io.tycostream.triggers.admin;

import io.tycostream.triggers.delivery.BreakerState;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerPage;

import java.util.List;
import java.util.Locale;

/**
 * The status {@code failing} (#10 item 3): an enabled, active trigger whose endpoint's circuit on this node is open
 * or half-open reads {@code failing} ({@link TriggerJson#withBreaker}). The list's {@code status} filter is applied
 * to each page once this node's breakers are known: {@code failing} keeps those triggers, {@code active} leaves them
 * out, so each trigger is listed under the status it shows. A page filtered by status may hold fewer triggers than
 * {@code limit} (follow {@code next_cursor} as usual). Stateless.
 */
final class TriggerFailingStatus {

  static final String FAILING = "failing";
  private static final String ACTIVE = "active";
  private static final String CLOSED = "closed";

  private TriggerFailingStatus() {
  }

  /** The breaker of {@code trigger}'s endpoint among {@code breakers}, or {@code null} when it has none. */
  static BreakerState breakerOf(String trigger, List<BreakerState> breakers) {
    return breakers.stream().filter(state -> state.triggers().contains(trigger)).findFirst().orElse(null);
  }

  /** Whether {@code breaker} (possibly {@code null}) makes an active trigger read {@code failing}. */
  static boolean isTripped(BreakerState breaker) {
    return breaker != null && !breaker.state().equals(CLOSED);
  }

  /**
   * {@code page} as far as the breakers go: for {@code failing} only the triggers whose breaker is tripped, for
   * {@code active} only the others, for any other status (or none) every trigger. The store's filter has already
   * kept enabled, active, unexpired triggers for both. The cursor stays the store's.
   */
  static TriggerPage filter(TriggerPage page, String wanted, List<BreakerState> breakers) {
    if (wanted == null) {
      return page;
    }
    String status = wanted.toLowerCase(Locale.ROOT);
    if (!status.equals(FAILING) && !status.equals(ACTIVE)) {
      return page;
    }
    boolean wantFailing = status.equals(FAILING);
    List<StoredTrigger> kept = page.triggers().stream()
        .filter(stored -> isTripped(breakerOf(stored.name(), breakers)) == wantFailing).toList();
    return kept.size() == page.triggers().size() ? page : new TriggerPage(kept, page.lastName());
  }
}
