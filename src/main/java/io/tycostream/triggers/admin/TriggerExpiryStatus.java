package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerPage;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The status {@code expired} (#11 item 7): an enabled trigger whose {@code expires_at} has passed (wall clock) reads
 * {@code expired} in {@code GET} and the list, whatever its baseline status; {@code disabled} still wins. The list's
 * {@code status} filter is applied to each page read from the store, so a page filtered by status may hold fewer
 * triggers than {@code limit} (follow {@code next_cursor} as usual). Stateless.
 */
final class TriggerExpiryStatus {

  static final String EXPIRED = "expired";

  private TriggerExpiryStatus() {
  }

  /** Whether {@code stored} is enabled and past its expiry at {@code now}. */
  static boolean isExpired(StoredTrigger stored, Instant now) {
    if (!stored.enabled()) {
      return false;
    }
    try {
      return TriggerDefinitionParser.parse(stored.definitionJson()).isExpiredAt(now);
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  /**
   * {@code page} with only the triggers whose status is {@code wanted} as far as expiry goes: for {@code expired}
   * the expired ones, for another status the others, for none every trigger. The cursor stays the store's.
   */
  static TriggerPage filter(TriggerPage page, String wanted, Instant now) {
    if (wanted == null) {
      return page;
    }
    boolean wantExpired = wanted.toLowerCase(Locale.ROOT).equals(EXPIRED);
    List<StoredTrigger> kept = page.triggers().stream()
        .filter(stored -> isExpired(stored, now) == wantExpired).toList();
    return kept.size() == page.triggers().size() ? page : new TriggerPage(kept, page.lastName());
  }
}
