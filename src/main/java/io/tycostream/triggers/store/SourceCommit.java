package io.tycostream.triggers.store;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * Everything one or more consecutive batches of one source produced, written atomically by
 * {@link Store#commit(SourceCommit)} (design.md §3.2).
 * <p>
 * When several batches are grouped, the caller merges them: {@code frontier} is the last batch's frontier and the
 * lists are concatenated in batch order. If one key of one trigger has several state changes, the last one wins.
 *
 * @param source    the source name
 * @param frontier  the progress frontier every change is below; becomes the source checkpoint
 * @param events    new outbox events (already-stored event ids are skipped)
 * @param changes   matched-key state changes, in order
 * @param baselines   triggers whose complete state is established by this commit (applied before {@code changes})
 * @param activations triggers whose staged state becomes active with this commit (their catch-up state changes are
 *                    in {@code changes}, their snapshot and catch-up events in {@code events})
 * @param gates       what the delivery gates remember per key after this commit (applied after {@code changes})
 */
public record SourceCommit(String source, BigInteger frontier, List<NewEvent> events, List<StateChange> changes,
                           List<TriggerBaseline> baselines, List<TriggerActivation> activations,
                           List<KeyGateChange> gates) {

  /** A commit whose triggers have no delivery gates. */
  public SourceCommit(String source, BigInteger frontier, List<NewEvent> events, List<StateChange> changes,
                      List<TriggerBaseline> baselines, List<TriggerActivation> activations) {
    this(source, frontier, events, changes, baselines, activations, List.of());
  }

  public SourceCommit {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(frontier, "frontier");
    if (frontier.signum() < 0) {
      throw new IllegalArgumentException("frontier must not be negative: " + frontier);
    }
    events = List.copyOf(events);
    changes = List.copyOf(changes);
    baselines = List.copyOf(baselines);
    activations = List.copyOf(activations);
    gates = List.copyOf(gates);
  }

  /** A commit without baselines or activations. */
  public static SourceCommit of(String source, BigInteger frontier, List<NewEvent> events,
                                List<StateChange> changes) {
    return new SourceCommit(source, frontier, events, changes, List.of(), List.of());
  }
}
