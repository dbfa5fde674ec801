package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The events of one batched POST and its id. Members are in the order the receiver sees them: by
 * {@code source_timestamp}, then commit order. The id is a pure function of the trigger and the set of member event
 * ids ({@link #idOf}), so the same events always make the same batch id, on a retry, after a restart and on a replay
 * of all of them; it is the Standard Webhooks {@code webhook-id} of the POST. Immutable.
 *
 * @param batchId the batch id, {@code batch_} and 32 hex digits
 * @param members the events, in delivery order, at least one, all of one trigger
 */
record EventBatch(String batchId, List<StoredEvent> members) {

  /** Prefix of every batch id (events ids never start with it). */
  static final String ID_PREFIX = "batch_";

  private static final Comparator<StoredEvent> DELIVERY_ORDER = Comparator.comparing(StoredEvent::sourceTimestamp)
      .thenComparingLong(StoredEvent::sequence);
  private static final int ID_BYTES = 16;

  EventBatch {
    Objects.requireNonNull(batchId, "batchId");
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a batch holds at least one event");
    }
  }

  /** The batch of {@code events} of {@code triggerName}: sorted into delivery order, with its deterministic id. */
  static EventBatch of(String triggerName, List<StoredEvent> events) {
    List<StoredEvent> ordered = new ArrayList<>(events);
    ordered.sort(DELIVERY_ORDER);
    return new EventBatch(idOf(triggerName, ordered.stream().map(StoredEvent::eventId).toList()), ordered);
  }

  /**
   * The batch id of these events: the first 128 bits of SHA-256 over the trigger name and the event ids sorted, each
   * followed by a newline (names and ids hold no newline), in hex. Independent of the order the ids are given in.
   */
  static String idOf(String triggerName, List<String> eventIds) {
    List<String> sorted = new ArrayList<>(eventIds);
    sorted.sort(Comparator.naturalOrder());
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // every Java SE runtime must provide SHA-256
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
    sha256.update((triggerName + '\n').getBytes(StandardCharsets.UTF_8));
    for (String id : sorted) {
      sha256.update((id + '\n').getBytes(StandardCharsets.UTF_8));
    }
    byte[] digest = sha256.digest();
    return ID_PREFIX + HexFormat.of().formatHex(digest, 0, ID_BYTES);
  }

  /** The first member in delivery order: its trigger, attempts and place in the lane stand for the batch's. */
  StoredEvent first() {
    return members.get(0);
  }

  List<String> eventIds() {
    return members.stream().map(StoredEvent::eventId).toList();
  }

  int size() {
    return members.size();
  }
}
