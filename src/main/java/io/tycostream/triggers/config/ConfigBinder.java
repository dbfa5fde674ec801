package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.tycostream.triggers.json.JsonMappers;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Binds the parsed (and env-overridden) YAML tree to {@link TriggersConfig} with Jackson: each record's
 * {@code @JsonCreator fromFile} factory names its YAML fields and is the one place their defaults are filled.
 * Unknown fields are refused; every Jackson error becomes a {@link ConfigException} naming the full field path.
 * Semantic checks across fields are {@link ConfigValidator}'s.
 */
final class ConfigBinder {

  /** The {@code @JacksonInject} name of the environment map (password and secret variables). */
  static final String ENV = "env";

  // only the creators' @JsonProperty parameters are fields: no record accessor or field is bound on its own
  private static final ObjectReader READER = JsonMapper.builder()
      .visibility(PropertyAccessor.ALL, Visibility.NONE)
      .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
      .disable(MapperFeature.USE_GETTERS_AS_SETTERS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      // true/false or their text (an environment value), never a number; an empty value is an error, not a default
      .withCoercionConfig(LogicalType.Boolean, booleans -> booleans.setCoercion(CoercionInputShape.Integer,
          CoercionAction.Fail).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Integer, integers -> integers.setCoercion(CoercionInputShape.EmptyString,
          CoercionAction.Fail))
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build()
      .readerFor(TriggersConfig.class);

  private ConfigBinder() {
  }

  static TriggersConfig bind(JsonNode root, Map<String, String> env) {
    try {
      return READER.with(new InjectableValues.Std().addValue(ENV, env)).readValue(root);
    } catch (JsonMappingException e) {
      throw translate(e);
    } catch (IOException e) {
      throw new ConfigException("config", "cannot be bound: " + e.getMessage(), e);
    }
  }

  private static ConfigException translate(JsonMappingException e) {
    String path = pathOf(e.getPath());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConfigException absolute) {
        return absolute;
      }
      if (cause instanceof InvalidFieldException relative) {
        return new ConfigException(join(path, relative.field()), relative.getMessage(), e);
      }
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      List<String> known = unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      return new ConfigException(path, "unknown field (expected one of " + known + ")", e);
    }
    if (e instanceof InvalidFormatException format) {
      return new ConfigException(path, expected(format.getTargetType()) + ", got '" + format.getValue() + "'", e);
    }
    if (e instanceof MismatchedInputException mismatch) {
      return new ConfigException(path, expected(mismatch.getTargetType()), e);
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof InputCoercionException range) {
        return new ConfigException(path, "out of range: " + JsonMappers.problemOf(range), e);
      }
      if (cause instanceof IllegalArgumentException invalid && invalid.getMessage() != null) {
        return new ConfigException(path, invalid.getMessage(), e);
      }
    }
    return new ConfigException(path, JsonMappers.problemOf(e), e);
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "unexpected value";
    }
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "expected an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "expected true or false";
    }
    if (type == String.class) {
      return "expected a text value";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "expected a list";
    }
    return "expected a mapping";
  }

  /** {@code sources[0].loadgen.entities}, as the messages spell paths. */
  private static String pathOf(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String join(String path, String field) {
    if (field.isEmpty()) {
      return path;
    }
    return path.isEmpty() || field.startsWith("[") ? path + field : path + "." + field;
  }
}
