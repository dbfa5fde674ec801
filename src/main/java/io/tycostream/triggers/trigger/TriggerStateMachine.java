package io.tycostream.triggers.trigger;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.trigger.condition.Condition;
import io.tycostream.triggers.trigger.condition.ConditionCompiler;
import io.tycostream.triggers.trigger.condition.ConditionParameters;
import io.tycostream.triggers.trigger.computed.ComputedFields;
import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.json.ComputedErrorsMember;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides, per key of one trigger, when a row starts matching (FIRE) and when it stops (CLEAR) — design.md §1.
 * <p>
 * A key that is not matched FIRES when {@code fire} is TRUE. A matched key stays matched while
 * {@code fire is TRUE || clear is not TRUE}; without {@code clear}, only while {@code fire} is TRUE. It CLEARs when
 * it leaves; when both could apply, fire wins and the key stays matched (hysteresis). UNKNOWN (a NULL in a
 * compared column) is "not TRUE": it neither fires nor satisfies {@code clear}. A deleted matched key CLEARs with
 * its last known row; deleting a key that is not matched emits nothing. A matched key that stays matched only
 * updates its stored row.
 * <p>
 * Pure and immutable: safe to share between threads; the caller serialises batches of one trigger.
 */
public final class TriggerStateMachine {

  private final String triggerName;
  private final Condition fire;
  private final Condition clear;
  /** The columns an event's row keeps, in schema order, or {@code null} for all. */
  private final List<String> payloadColumns;
  /** Added to an event's data after the selection. */
  private final ComputedFields computed;
  /** Whether {@code fire} or {@code clear} compare a computed field, so rows are extended before they are tested. */
  private final boolean conditionsUseComputed;

  /**
   * @param fire  when a key starts matching
   * @param clear when a matched key stops matching, or {@code null} to clear as soon as {@code fire} is not TRUE
   */
  public TriggerStateMachine(String triggerName, Condition fire, Condition clear) {
    this(triggerName, fire, clear, null, ComputedFields.NONE, false);
  }

  private TriggerStateMachine(String triggerName, Condition fire, Condition clear, List<String> payloadColumns,
                              ComputedFields computed, boolean conditionsUseComputed) {
    this.triggerName = Objects.requireNonNull(triggerName, "triggerName");
    this.fire = Objects.requireNonNull(fire, "fire");
    this.clear = clear;
    this.payloadColumns = payloadColumns;
    this.computed = computed;
    this.conditionsUseComputed = conditionsUseComputed;
  }

  /**
   * Compiles everything of {@code definition} that evaluation needs against {@code schema}: its computed fields
   * (CEL, type-checked against the columns), its conditions with their {@code {"_param": …}} placeholders filled from
   * {@code params} (a condition may compare a computed field like a column), and its field selection.
   *
   * @throws ServiceException {@code invalid_field} naming {@code computed.<name>}, {@code params.<name>} or
   *                          {@code fields[i]}; {@code invalid_condition} naming the condition path
   */
  public static TriggerStateMachine compile(String triggerName, SourceSchema schema, TriggerDefinition definition) {
    ComputedFields computed = ComputedFields.compile(definition.computed(), schema);
    ConditionCompiler compiler = new ConditionCompiler(computed.isEmpty() ? schema : computed.extend(schema));
    ConditionParameters params = new ConditionParameters(definition.params());
    JsonObject fireWhere = definition.fire();
    JsonObject clearWhere = definition.clear();
    Condition fire = params.compile(compiler, fireWhere, "fire");
    Condition clear = clearWhere == null ? null : params.compile(compiler, clearWhere, "clear");
    params.requireAllUsed();
    List<String> kept = payloadColumns(schema, definition.fields());
    boolean useComputed = computed.names().stream()
        .anyMatch(name -> names(fireWhere, name) || (clearWhere != null && names(clearWhere, name)));
    return new TriggerStateMachine(triggerName, fire, clear, kept, computed, useComputed);
  }

  /** Whether {@code name} is a key anywhere in a condition (a column test on it). */
  private static boolean names(Object where, String name) {
    if (where instanceof JsonObject object) {
      return object.containsKey(name) || object.stream().anyMatch(entry -> names(entry.getValue(), name));
    }
    if (where instanceof JsonArray array) {
      return array.stream().anyMatch(element -> names(element, name));
    }
    return false;
  }

  /** The columns events keep: the key columns and {@code fields}, or {@code null} (all) when {@code fields} is empty. */
  private static List<String> payloadColumns(SourceSchema schema, List<String> fields) {
    if (fields.isEmpty()) {
      return null;
    }
    List<String> names = schema.columns().stream().map(SourceColumn::name).toList();
    for (int i = 0; i < fields.size(); i++) {
      if (!names.contains(fields.get(i))) {
        throw new ServiceException(ErrorCode.INVALID_FIELD, "fields[" + i + "]: '" + fields.get(i)
            + "' is not a column of the source (columns: " + names + ")", "fields[" + i + "]");
      }
    }
    return names.stream().filter(name -> schema.keyColumns().contains(name) || fields.contains(name)).toList();
  }

  /**
   * As {@link #compile(String, SourceSchema, Object, Object)}, with events carrying only the key columns and
   * {@code fields} (every column when {@code fields} is empty); the state keeps whole rows.
   *
   * @throws ServiceException {@code invalid_field} naming {@code fields[i]} when a name is not a column
   */
  public static TriggerStateMachine compile(String triggerName, SourceSchema schema, Object fire, Object clear,
                                            List<String> fields) {
    TriggerStateMachine machine = compile(triggerName, schema, fire, clear);
    List<String> kept = payloadColumns(schema, fields);
    return kept == null ? machine
        : new TriggerStateMachine(triggerName, machine.fire, machine.clear, kept, ComputedFields.NONE, false);
  }

  /**
   * Compiles a trigger's {@code fire} and optional {@code clear} conditions (JSON objects) against {@code schema}.
   *
   * @param clear the clear condition, or {@code null} when the trigger has none
   * @throws io.tycostream.triggers.trigger.condition.ConditionException with a path rooted at {@code fire} or
   *                                                                    {@code clear}
   */
  public static TriggerStateMachine compile(String triggerName, SourceSchema schema, Object fire, Object clear) {
    ConditionCompiler compiler = new ConditionCompiler(schema);
    return new TriggerStateMachine(triggerName, compiler.compile(fire, "fire"),
      clear == null ? null : compiler.compile(clear, "clear"));
  }

  public String triggerName() {
    return triggerName;
  }

  /**
   * Applies one change to one key.
   *
   * @param previous the key's state before the change, {@code null} when not matched
   */
  public Transition apply(MatchedKeyState previous, Change change) {
    if (change.deleted()) {
      return previous == null ? Transition.NOT_MATCHED : new Transition(EventType.CLEAR, previous.lastRow(), null);
    }
    Map<String, Object> row = change.row();
    Map<String, Object> tested = conditionsUseComputed ? computed.withValues(row) : row;
    if (previous == null) {
      return fire.matches(tested)
        ? new Transition(EventType.FIRE, row, new MatchedKeyState(change.key(), row))
        : Transition.NOT_MATCHED;
    }
    return staysMatched(tested)
      ? new Transition(null, null, new MatchedKeyState(change.key(), row))
      : new Transition(EventType.CLEAR, row, null);
  }

  /**
   * Applies a batch of changes (in timestamp order; a key may appear several times) against the committed state.
   * Should a key appear twice at one timestamp, only its last change there counts, as in Materialize only the state
   * at a timestamp exists; so a key never gets two events with one event id.
   */
  public BatchEvaluation evaluate(List<Change> changes, MatchedKeyLookup committed) {
    Evaluation evaluation = start(committed, true);
    changes.forEach(evaluation::apply);
    return evaluation.finish();
  }

  /**
   * The starting state of a trigger created on a running source, from a snapshot of the source: rows already
   * matching {@code fire} become matched, silently, or with a FIRE each when {@code includeSnapshot}.
   */
  public BatchEvaluation baseline(List<Change> snapshot, boolean includeSnapshot) {
    Evaluation evaluation = start(MatchedKeyLookup.NONE, includeSnapshot);
    snapshot.forEach(evaluation::apply);
    return evaluation.finish();
  }

  /**
   * Reconciles the committed state with a full snapshot taken after history was lost (design.md §3.4): FIRE rows that
   * now match and were not matched, CLEAR matched rows that now clear, and CLEAR matched keys missing from the
   * snapshot with their last known row at {@code snapshotTimestamp}.
   *
   * @param committed every matched key of the trigger, by canonical key
   */
  public BatchEvaluation reconcile(List<Change> snapshot, Map<String, MatchedKeyState> committed,
                                   BigInteger snapshotTimestamp) {
    Evaluation evaluation = start(MatchedKeyLookup.of(committed), true).reconciling();
    snapshot.forEach(evaluation::apply);
    return evaluation.finishReconcile(committed, snapshotTimestamp);
  }

  /**
   * Starts an incremental evaluation: the changes of a batch are {@link Evaluation#apply applied} one at a time (so a
   * caller can spread a large batch over several event-loop turns), then {@link Evaluation#finish() finished}. The
   * same rules as {@link #evaluate}; {@link #baseline} is a start with no committed state, and {@link #reconcile} one
   * finished with {@link Evaluation#finishReconcile}.
   *
   * @param committed the committed state the batch applies to
   * @param emit      whether transitions emit events ({@code false} for a silent baseline)
   */
  public Evaluation start(MatchedKeyLookup committed, boolean emit) {
    return new Evaluation(Objects.requireNonNull(committed, "committed"), emit);
  }

  /** Whether {@code row} satisfies {@code fire}: a key that is not matched FIREs on it. */
  public boolean fires(Map<String, Object> row) {
    return fire.matches(conditionsUseComputed ? computed.withValues(row) : row);
  }

  private boolean staysMatched(Map<String, Object> row) {
    return fire.matches(row) || (clear != null && !clear.matches(row));
  }

  /**
   * One batch being applied to one trigger. Not thread-safe: used by one caller, on one thread at a time; single
   * use.
   */
  public final class Evaluation {

    private final MatchedKeyLookup committed;
    private final boolean emit;
    private final Map<String, PendingKey> pending = new HashMap<>();
    private final List<TriggerEvent> events = new ArrayList<>();
    /** Every key seen, kept only for a reconcile (which CLEARs the matched keys that are not). */
    private Set<String> seen;

    private Evaluation(MatchedKeyLookup committed, boolean emit) {
      this.committed = committed;
      this.emit = emit;
    }

    /** Applies the next change (changes must come in timestamp order). */
    public void apply(Change change) {
      apply(change, CanonicalKey.json(change.key()));
    }

    /**
     * Applies the next change whose {@link CanonicalKey#json canonical key} the caller computed already (once per
     * change, however many triggers evaluate it).
     */
    public void apply(Change change, String canonicalKey) {
      if (seen != null) {
        seen.add(canonicalKey);
      }
      PendingKey earlier = pending.get(canonicalKey);
      boolean sameTime = earlier != null && earlier.at().equals(change.timestamp());
      if (sameTime && earlier.eventIndex() >= 0) {
        events.set(earlier.eventIndex(), null);
      }
      MatchedKeyState before = earlier == null ? committed.find(canonicalKey)
        : sameTime ? earlier.beforeAt() : earlier.after();
      Transition transition = TriggerStateMachine.this.apply(before, change);
      boolean emitted = emit && transition.emits();
      if (emitted) {
        events.add(event(transition, change, canonicalKey));
      }
      if (earlier != null || transition.next() != null || transition.emits()) {
        boolean committedMatched = earlier != null ? earlier.committedMatched() : before != null;
        pending.put(canonicalKey, new PendingKey(before, transition.next(), change.timestamp(),
          emitted ? events.size() - 1 : -1, committedMatched));
      }
    }

    /** Makes this evaluation a reconcile: call before the first {@link #apply}. */
    public Evaluation reconciling() {
      seen = new HashSet<>();
      return this;
    }

    /** The events (in change order) and the state delta. */
    public BatchEvaluation finish() {
      return new BatchEvaluation(events.stream().filter(Objects::nonNull).toList(), delta(pending));
    }

    /**
     * Finishes a reconcile (started with {@link #reconciling()}): every matched key of
     * {@code matched} that the snapshot did not contain is deleted at {@code snapshotTimestamp} (a CLEAR with its
     * last known row), then {@link #finish()}.
     */
    public BatchEvaluation finishReconcile(Map<String, MatchedKeyState> matched, BigInteger snapshotTimestamp) {
      if (seen == null) {
        throw new IllegalStateException("not a reconcile: call reconciling() before the first change");
      }
      Set<String> present = seen;
      List<Change> gone = new ArrayList<>();
      matched.forEach((canonicalKey, state) -> {
        if (!present.contains(canonicalKey)) {
          gone.add(Change.delete(state.key(), snapshotTimestamp));
        }
      });
      seen = null;
      gone.forEach(this::apply);
      return finish();
    }
  }

  private TriggerEvent event(Transition transition, Change change, String canonicalKey) {
    return new TriggerEvent(EventId.of(triggerName, canonicalKey, change.timestamp()), transition.event(),
      triggerName, change.key(), change.timestamp(), selected(transition.row()));
  }

  /**
   * The row an event carries: the selected columns ({@code fields}) and the key, or the whole row; then the computed
   * fields, and, when some failed, their errors as the last member ({@link ComputedErrorsMember}).
   */
  public Map<String, Object> selected(Map<String, Object> row) {
    if (row == null || (payloadColumns == null && computed.isEmpty())) {
      return row;
    }
    Map<String, Object> kept;
    if (payloadColumns == null) {
      kept = new LinkedHashMap<>(row);
    } else {
      kept = new LinkedHashMap<>();
      for (String column : payloadColumns) {
        if (row.containsKey(column)) {
          kept.put(column, row.get(column));
        }
      }
    }
    if (!computed.isEmpty()) {
      ComputedFields.Results results = computed.evaluate(row);
      kept.putAll(results.values());
      if (!results.errors().isEmpty()) {
        kept.put(ComputedErrorsMember.MEMBER, results.errors().stream()
            .map(error -> Map.<String, Object>of("field", error.field(), "message", error.message())).toList());
      }
    }
    return kept;
  }

  private static StateDelta delta(Map<String, PendingKey> pending) {
    Map<String, MatchedKeyState> upserts = new HashMap<>();
    Set<String> removals = new HashSet<>();
    pending.forEach((canonicalKey, key) -> {
      if (key.after() != null) {
        upserts.put(canonicalKey, key.after());
      } else if (key.committedMatched()) {
        removals.add(canonicalKey);
      }
    });
    return new StateDelta(upserts, removals);
  }

  /**
   * A key touched by the batch: its state before the change at {@code at}, after it, the index of the event that
   * change emitted (or -1), and whether the committed state had it matched.
   */
  private record PendingKey(MatchedKeyState beforeAt, MatchedKeyState after, BigInteger at, int eventIndex,
                            boolean committedMatched) {
  }
}
