package io.tycostream.triggers.store;

import java.util.List;

/**
 * One page of the audit log, newest first. Immutable.
 *
 * @param entries the page's entries
 * @param lastId  the last entry's id when more follow, else {@code null}
 */
public record AuditPage(List<AuditEntry> entries, Long lastId) {

  public AuditPage {
    entries = List.copyOf(entries);
  }
}
