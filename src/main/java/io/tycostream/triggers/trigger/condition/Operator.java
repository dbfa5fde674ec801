package io.tycostream.triggers.trigger.condition;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The column operators of a {@code where} condition, looked up by name once at compile time. */
enum Operator {
  EQ("_eq", ColumnTests.EQUAL),
  NEQ("_neq", ColumnTests.BELOW | ColumnTests.ABOVE),
  GT("_gt", ColumnTests.ABOVE),
  GTE("_gte", ColumnTests.ABOVE | ColumnTests.EQUAL),
  LT("_lt", ColumnTests.BELOW),
  LTE("_lte", ColumnTests.BELOW | ColumnTests.EQUAL),
  IN("_in", 0),
  NIN("_nin", 0),
  IS_NULL("_is_null", 0);

  private static final Map<String, Operator> BY_NAME = Arrays.stream(values())
    .collect(Collectors.toUnmodifiableMap(Operator::jsonName, Function.identity()));

  /** Every operator name, for messages. */
  static final String NAMES = Arrays.stream(values()).map(Operator::jsonName).collect(Collectors.joining(", "));

  private final String jsonName;
  private final int acceptedOutcomes;

  Operator(String jsonName, int acceptedOutcomes) {
    this.jsonName = jsonName;
    this.acceptedOutcomes = acceptedOutcomes;
  }

  static Optional<Operator> named(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  String jsonName() {
    return jsonName;
  }

  /** For comparisons, the {@link ColumnTests} outcome bits that make the comparison TRUE. */
  int acceptedOutcomes() {
    return acceptedOutcomes;
  }

  boolean isOrdering() {
    return this == GT || this == GTE || this == LT || this == LTE;
  }

  boolean isMembership() {
    return this == IN || this == NIN;
  }
}
