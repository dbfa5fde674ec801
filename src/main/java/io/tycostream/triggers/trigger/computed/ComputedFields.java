package io.tycostream.triggers.trigger.computed;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelUnknownSet;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trigger's computed fields ({@code computed}), compiled once per definition and schema with Google CEL: each
 * expression sees the source row as {@code row}, a struct whose fields are the source's columns typed as
 * {@link CelRowTypes} says, and is type-checked here, so {@code row.colour} or {@code "a" * 2} is a 400 naming
 * {@code computed.<name>} with CEL's message, never an event-time surprise.
 * <p>
 * Evaluation per event reuses the compiled programs. A NULL column is absent from {@code row} (so
 * {@code has(row.price)} tests for it); reading it, dividing by zero or overflowing is an evaluation error, which
 * {@link #evaluate} turns into a {@code null} value and an {@link ComputedError} rather than losing the event.
 * <p>
 * Immutable and thread-safe: CEL programs may be evaluated concurrently.
 */
public final class ComputedFields {

  /** No computed fields. */
  public static final ComputedFields NONE = new ComputedFields(Map.of(), Map.of(), List.of());

  private static final String FIELD = "computed";
  private static final String ROW = "row";
  private static final String ROW_TYPE = "tycostream.Row";
  private static final CelOptions OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(true)
      .build();
  // a runtime holds no per-expression state; programs made from it are immutable
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  private static final Pattern ABSENT_KEY = Pattern.compile("key '([^']*)' is not present in map");

  private final Map<String, CelRuntime.Program> programs;
  private final Map<String, ColumnType> resultTypes;
  /** The source's columns with their types, to build {@code row} per event. */
  private final List<SourceColumn> columns;

  private ComputedFields(Map<String, CelRuntime.Program> programs, Map<String, ColumnType> resultTypes,
                         List<SourceColumn> columns) {
    this.programs = programs;
    this.resultTypes = resultTypes;
    this.columns = columns;
  }

  /**
   * Type-checks and compiles {@code expressions} (name to CEL text, in payload order) against {@code schema}.
   *
   * @throws ServiceException {@code invalid_field} naming {@code computed.<name>}: a name that is also a column, or
   *                          an expression CEL refuses (its message says where and why)
   */
  public static ComputedFields compile(Map<String, String> expressions, SourceSchema schema) {
    if (expressions.isEmpty()) {
      return NONE;
    }
    CelCompiler compiler = compilerFor(schema);
    Map<String, CelRuntime.Program> programs = new LinkedHashMap<>();
    Map<String, ColumnType> resultTypes = new LinkedHashMap<>();
    expressions.forEach((name, expression) -> {
      String field = FIELD + "." + name;
      if (schema.column(name).isPresent()) {
        throw new ServiceException(ErrorCode.INVALID_FIELD, field + ": '" + name + "' is a column of the source; "
            + "a computed field needs a name of its own", field);
      }
      try {
        CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
        programs.put(name, RUNTIME.createProgram(ast));
        resultTypes.put(name, CelRowTypes.columnType(ast.getResultType()));
      } catch (CelValidationException e) {
        throw new ServiceException(ErrorCode.INVALID_FIELD, field + ": " + e.getMessage(), field);
      } catch (CelEvaluationException e) {
        throw new ServiceException(ErrorCode.INVALID_FIELD, field + ": cannot be planned: " + e.getMessage(), field);
      }
    });
    return new ComputedFields(programs, resultTypes,
        List.copyOf(schema.columns()));
  }

  /** Whether there are none. */
  public boolean isEmpty() {
    return programs.isEmpty();
  }

  /** The names, in payload order. */
  public List<String> names() {
    return List.copyOf(programs.keySet());
  }

  /**
   * {@code schema} with each computed field as one more (non-key) column, typed by its CEL result, so a condition may
   * compare it like a column ({@code {"exposure": {"_gt": 1000000}}}).
   */
  public SourceSchema extend(SourceSchema schema) {
    List<SourceColumn> extended = new ArrayList<>(schema.columns());
    resultTypes.forEach((name, type) -> extended.add(new SourceColumn(name, type, "cel " + type.displayName())));
    return new SourceSchema(extended, schema.keyColumns());
  }

  /**
   * Evaluates every computed field on {@code row}: values by name in definition order ({@code null} where it failed)
   * and an error per failed field.
   */
  public Results evaluate(Map<String, Object> row) {
    Map<String, Object> input;
    try {
      input = Map.of(ROW, celRow(row));
    } catch (RuntimeException e) {
      // a value of an unexpected Java type for its column: a bug upstream, but never a lost event
      return allFailed("the row cannot be given to CEL: " + e);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    List<ComputedError> errors = List.of();
    for (Map.Entry<String, CelRuntime.Program> computed : programs.entrySet()) {
      String name = computed.getKey();
      Object value = null;
      String problem;
      try {
        Object result = computed.getValue().eval(input);
        problem = result instanceof CelUnknownSet ? "a column it reads is null" : null;
        value = problem == null ? CelRowTypes.rowValue(result) : null;
      } catch (CelEvaluationException | RuntimeException e) {
        problem = explain(e);
      }
      values.put(name, value);
      if (problem != null) {
        errors = errors.isEmpty() ? new ArrayList<>() : errors;
        errors.add(new ComputedError(name, problem));
      }
    }
    return new Results(values, errors);
  }

  private Results allFailed(String problem) {
    Map<String, Object> values = new LinkedHashMap<>();
    List<ComputedError> errors = new ArrayList<>();
    programs.keySet().forEach(name -> {
      values.put(name, null);
      errors.add(new ComputedError(name, problem));
    });
    return new Results(values, errors);
  }

  /**
   * {@code row} with the computed values added, for evaluating conditions that compare computed fields; a failed
   * value is NULL there (so a comparison with it is UNKNOWN, as with a NULL column).
   */
  public Map<String, Object> withValues(Map<String, Object> row) {
    Map<String, Object> extended = new HashMap<>(row);
    extended.putAll(evaluate(row).values());
    return extended;
  }

  private Map<String, Object> celRow(Map<String, Object> row) {
    Map<String, Object> values = new HashMap<>(columns.size() * 2);
    for (SourceColumn column : columns) {
      Object value = row.get(column.name());
      if (value != null) {
        values.put(column.name(), CelRowTypes.celValue(column.type(), value));
      }
    }
    return values;
  }

  private static String explain(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Matcher absent = ABSENT_KEY.matcher(message);
    if (absent.find()) {
      return "column '" + absent.group(1) + "' is null";
    }
    // "evaluation error at <input>:17: / by zero": the position is of the expression, kept
    return message;
  }

  private static CelCompiler compilerFor(SourceSchema schema) {
    Map<String, CelType> fields = new LinkedHashMap<>();
    schema.columns().forEach(column -> fields.put(column.name(), CelRowTypes.celType(column.type())));
    StructType row = StructType.create(ROW_TYPE, ImmutableSet.copyOf(fields.keySet()),
        name -> Optional.ofNullable(fields.get(name)));
    CelTypeProvider types = new CelTypeProvider() {
      @Override
      public ImmutableList<CelType> types() {
        return ImmutableList.of(row);
      }

      @Override
      public Optional<CelType> findType(String typeName) {
        return ROW_TYPE.equals(typeName) ? Optional.of(row) : Optional.empty();
      }
    };
    return CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .setTypeProvider(types)
        .addVar(ROW, row)
        .build();
  }

  /**
   * What the computed fields came to for one row.
   *
   * @param values by name, in definition order; {@code null} where evaluation failed
   * @param errors one per failed field, empty when all succeeded
   */
  public record Results(Map<String, Object> values, List<ComputedError> errors) {
  }

  /**
   * A computed field that could not be evaluated for a row, as the payload's {@code errors} shows it.
   *
   * @param field   the computed field's name
   * @param message why, as CEL says it ({@code / by zero}) or {@code column 'price' is null}
   */
  public record ComputedError(String field, String message) {
  }
}
