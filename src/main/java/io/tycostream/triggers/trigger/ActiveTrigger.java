package io.tycostream.triggers.trigger;

import io.tycostream.triggers.definition.DeliverIf;
import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.trigger.condition.ConditionParameters;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A trigger the evaluator runs: its compiled state machine, its committed matched keys (in memory, mirroring the
 * store; changed only after a commit succeeded) and the frontier it applies from. Confined to the evaluator's
 * context.
 */
final class ActiveTrigger {

  private final TriggerIdentity identity;
  private final TriggerDefinition definition;
  private final TriggerStateMachine machine;
  private final SourceSchema schema;
  private final BigInteger appliesFrom;
  private final KeyEquality keyEquality;
  private final Map<String, MatchedKeyState> matched = new HashMap<>();
  /** The committed memory of its delivery gates per key (cooldown, deliver_if), mirroring the store. */
  private final Map<String, KeyGate> gates = new HashMap<>();
  /** Whether every matched key so far holds {@link #keyEquality} (a state from another definition might not). */
  private boolean keysHoldEquality = true;

  private ActiveTrigger(TriggerIdentity identity, TriggerDefinition definition, TriggerStateMachine machine,
                        SourceSchema schema, BigInteger appliesFrom) {
    this.identity = identity;
    this.definition = definition;
    this.machine = machine;
    this.schema = schema;
    this.appliesFrom = appliesFrom;
    // filled: a key pinned by a parameter ({"account": {"_eq": {"_param": "account"}}}) is indexed like a literal
    this.keyEquality = KeyEquality.of(ConditionParameters.filled(definition.fire(), definition.params()), schema)
        .orElse(null);
  }

  /**
   * Compiles {@code definition} against {@code schema}, with no matched keys yet.
   *
   * @param appliesFrom changes at times below it are already reflected in the state (its baseline); {@code null}
   *                    when every change the source hands over applies
   * @throws io.tycostream.triggers.trigger.condition.ConditionException when the conditions do not fit the schema
   */
  static ActiveTrigger compile(TriggerIdentity identity, TriggerDefinition definition, SourceSchema schema,
                               BigInteger appliesFrom) {
    TriggerStateMachine machine = TriggerStateMachine.compile(definition.name(), schema, definition);
    return new ActiveTrigger(identity, definition, machine, schema, appliesFrom);
  }

  String name() {
    return definition.name();
  }

  TriggerIdentity identity() {
    return identity;
  }

  TriggerDefinition definition() {
    return definition;
  }

  TriggerStateMachine machine() {
    return machine;
  }

  /** The frontier it applies from, {@code null} for every change. */
  BigInteger appliesFrom() {
    return appliesFrom;
  }

  /** Whether {@code change} is new to this trigger (not already in its baseline). */
  boolean applies(Change change) {
    return appliesFrom == null || change.timestamp().compareTo(appliesFrom) >= 0;
  }

  /**
   * The key equality that decides which changes can matter to this trigger, or {@code null} when any change can:
   * its {@code fire} condition requires none, or a matched key does not hold it.
   */
  KeyEquality keyEquality() {
    return keysHoldEquality ? keyEquality : null;
  }

  MatchedKeyLookup lookup() {
    return MatchedKeyLookup.of(matched);
  }

  /** The committed matched keys by canonical key (a read-only view). */
  Map<String, MatchedKeyState> matched() {
    return Collections.unmodifiableMap(matched);
  }

  /** Whether the key with this canonical JSON is matched in the committed state. */
  boolean isMatched(String canonicalKey) {
    return matched.containsKey(canonicalKey);
  }

  int matchedCount() {
    return matched.size();
  }

  /** Adds one stored matched key (its row JSON decoded with the schema): loading, one key at a time. */
  void restore(String canonicalKey, String rowJson) {
    Map<String, Object> row = RowJson.decode(rowJson, schema);
    putMatched(canonicalKey, new MatchedKeyState(keyOf(row), row));
  }

  /** Applies a committed delta to the in-memory state. */
  void apply(StateDelta delta) {
    delta.removals().forEach(matched::remove);
    delta.upserts().forEach(this::putMatched);
  }

  /**
   * Starts the delivery-gate decisions of one commit, or {@code null} when nothing gates its events (no cooldown, no
   * deliver_if, and no suppressed match left open by an earlier definition).
   */
  DeliveryGate.Pass startGatePass(Predicate<DeliverIf> deliverIfHolds) {
    if (!definition.hasGates() && gates.isEmpty()) {
      return null;
    }
    DeliverIf deliverIf = definition.deliverIf();
    BooleanSupplier holds = deliverIf == null ? null : () -> deliverIfHolds.test(deliverIf);
    return new DeliveryGate(definition.cooldown(), holds).start(gates::get);
  }

  /** Adds one stored key of the gate memory: loading. */
  void restoreGate(String canonicalKey, KeyGate gate) {
    if (!gate.isEmpty()) {
      gates.put(canonicalKey, gate);
    }
  }

  /** Applies a committed pass's gate changes to the in-memory gate memory. */
  void applyGates(Map<String, KeyGate> changes) {
    changes.forEach((key, gate) -> {
      if (gate.isEmpty()) {
        gates.remove(key);
      } else {
        gates.put(key, gate);
      }
    });
  }

  /** The committed gate memory by canonical key (a read-only view). */
  Map<String, KeyGate> gates() {
    return Collections.unmodifiableMap(gates);
  }

  private void putMatched(String canonicalKey, MatchedKeyState state) {
    matched.put(canonicalKey, state);
    if (keyEquality != null && keysHoldEquality && !keyEquality.holdsFor(state.key())) {
      keysHoldEquality = false;
    }
  }

  private List<Object> keyOf(Map<String, Object> row) {
    List<Object> key = new ArrayList<>(schema.keyColumns().size());
    for (String column : schema.keyColumns()) {
      key.add(row.get(column));
    }
    return key;
  }
}
