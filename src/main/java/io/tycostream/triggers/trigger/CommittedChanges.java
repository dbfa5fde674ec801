package io.tycostream.triggers.trigger;

import io.tycostream.triggers.source.Change;

import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What one durable commit of a source applied, published locally on
 * {@link io.tycostream.triggers.bus.BusAddresses#committedChanges} for the {@code deliver_if} gates of other
 * evaluators (#11 item 9). Immutable; passed by reference (local codec).
 *
 * @param source   the source
 * @param frontier the commit's frontier: every change below it is applied
 * @param changes  the changes, in timestamp order
 * @param snapshot whether the changes are a full snapshot (rows stamped {@code frontier - 1}; a key missing from it
 *                 is gone)
 */
public record CommittedChanges(String source, BigInteger frontier, List<Change> changes, boolean snapshot) {

  public CommittedChanges {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(frontier, "frontier");
    // the scheduler hands over a list it no longer changes: not copied (a group holds up to 20,000 changes)
    changes = Collections.unmodifiableList(changes);
  }
}
