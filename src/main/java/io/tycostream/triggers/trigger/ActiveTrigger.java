package io.tycostream.triggers.trigger;

import io.tycostream.triggers.source.SourceSchema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trigger the evaluator runs: its compiled state machine and its committed matched keys (in memory, mirroring the
 * store; changed only after a commit succeeded). Confined to the evaluator's context.
 */
final class ActiveTrigger {

  private final TriggerDefinition definition;
  private final TriggerStateMachine machine;
  private final Map<String, MatchedKeyState> matched;

  private ActiveTrigger(TriggerDefinition definition, TriggerStateMachine machine,
                        Map<String, MatchedKeyState> matched) {
    this.definition = definition;
    this.machine = machine;
    this.matched = matched;
  }

  /**
   * Compiles {@code definition} against {@code schema} and decodes its stored matched keys.
   *
   * @throws io.tycostream.triggers.trigger.condition.ConditionException when the conditions no longer fit the schema
   */
  static ActiveTrigger load(TriggerDefinition definition, SourceSchema schema, Map<String, String> storedState) {
    TriggerStateMachine machine = TriggerStateMachine.compile(definition.name(), schema, definition.fire(),
        definition.clear());
    Map<String, MatchedKeyState> matched = new HashMap<>();
    storedState.forEach((key, rowJson) -> {
      Map<String, Object> row = RowJson.decode(rowJson, schema);
      matched.put(key, new MatchedKeyState(keyOf(row, schema), row));
    });
    return new ActiveTrigger(definition, machine, matched);
  }

  String name() {
    return definition.name();
  }

  TriggerDefinition definition() {
    return definition;
  }

  TriggerStateMachine machine() {
    return machine;
  }

  MatchedKeyLookup lookup() {
    return MatchedKeyLookup.of(matched);
  }

  /** The committed matched keys by canonical key (a read-only view). */
  Map<String, MatchedKeyState> matched() {
    return Collections.unmodifiableMap(matched);
  }

  int matchedCount() {
    return matched.size();
  }

  /** Applies a committed delta to the in-memory state. */
  void apply(StateDelta delta) {
    delta.removals().forEach(matched::remove);
    matched.putAll(delta.upserts());
  }

  private static List<Object> keyOf(Map<String, Object> row, SourceSchema schema) {
    List<Object> key = new ArrayList<>(schema.keyColumns().size());
    for (String column : schema.keyColumns()) {
      key.add(row.get(column));
    }
    return key;
  }
}
