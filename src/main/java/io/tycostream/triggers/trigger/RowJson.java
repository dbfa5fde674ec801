package io.tycostream.triggers.trigger;

import io.tycostream.triggers.json.JsonMappers;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a row (column name to value, typed as {@link ColumnType} documents) as a JSON object without losing
 * precision, and decodes it back with a schema.
 * <p>
 * Columns keep their order. {@code BigDecimal} is written as an exact plain JSON number (never through
 * {@code double}; its scale is kept, so 1.50 stays {@code 1.50}, and a {@code uint8} up to 2<sup>64</sup>-1 stays
 * exact); integers as numbers; finite doubles as numbers and NaN/infinities (of float and numeric columns alike) as
 * the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; timestamptz as ISO-8601 in UTC
 * ({@code 2026-01-15T10:30:45.123Z}); timestamp and date as ISO-8601 without offset; JSON column values embedded as
 * JSON; anything else as the string of its {@code toString()}.
 * <p>
 * Decoding reverses this, so stored matched-key state round-trips: a numeric or float column's {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"} come back as the {@code Double} constants; a number written as a string
 * (a value stored while its column was still read as text) is accepted for integer and numeric columns. Pure and
 * thread-safe.
 */
public final class RowJson {

  private static final JsonFactory FACTORY = JsonMappers.writer();

  private RowJson() {
  }

  /** The JSON text of {@code row}. */
  public static String encode(Map<String, Object> row) {
    StringWriter out = new StringWriter(64 * Math.max(1, row.size()));
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      write(generator, row);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode row", e);
    }
    return out.toString();
  }

  /** Writes {@code row} as a JSON object to {@code generator}, for embedding in a larger document (a payload). */
  public static void write(JsonGenerator generator, Map<String, Object> row) throws IOException {
    writeValue(generator, row);
  }

  /**
   * Decodes a row written by {@link #encode}: fields named like a column of {@code schema} get that column's Java
   * type back; other fields keep their plain JSON value. Field order is kept.
   *
   * @throws IllegalArgumentException when the text is not a JSON object or a value does not fit its column
   */
  public static Map<String, Object> decode(String json, SourceSchema schema) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("a row must be a JSON object");
      }
      Map<String, Object> row = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        ColumnType type = schema.column(name).map(SourceColumn::type).orElse(ColumnType.JSON);
        row.put(name, RowValueReader.read(parser, type));
      }
      return row;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot decode row: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof String text) {
      generator.writeString(text);
    } else if (value instanceof BigDecimal number) {
      generator.writeNumber(number);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger number) {
      generator.writeNumber(number);
    } else if (value instanceof Double || value instanceof Float) {
      writeFloating(generator, ((Number) value).doubleValue(), value);
    } else if (value instanceof Boolean flag) {
      generator.writeBoolean(flag);
    } else if (value instanceof OffsetDateTime time) {
      generator.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC)));
    } else if (value instanceof LocalDateTime time) {
      generator.writeString(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time));
    } else if (value instanceof LocalDate date) {
      generator.writeString(DateTimeFormatter.ISO_LOCAL_DATE.format(date));
    } else if (value instanceof JsonObject object) {
      writeValue(generator, object.getMap());
    } else if (value instanceof JsonArray array) {
      writeValue(generator, array.getList());
    } else if (value instanceof Map<?, ?> map) {
      generator.writeStartObject();
      for (Map.Entry<String, Object> entry : ((Map<String, Object>) map).entrySet()) {
        generator.writeFieldName(entry.getKey());
        writeValue(generator, entry.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof List<?> list) {
      generator.writeStartArray();
      for (Object element : list) {
        writeValue(generator, element);
      }
      generator.writeEndArray();
    } else {
      generator.writeString(value.toString());
    }
  }

  private static void writeFloating(JsonGenerator generator, double number, Object boxed) throws IOException {
    if (Double.isNaN(number)) {
      generator.writeString("NaN");
    } else if (Double.isInfinite(number)) {
      generator.writeString(number > 0 ? "Infinity" : "-Infinity");
    } else if (boxed instanceof Float single) {
      generator.writeNumber(single);
    } else {
      generator.writeNumber(number);
    }
  }

  /** Reads one JSON value as the Java type of a column. */
  private static final class RowValueReader {

    static Object read(JsonParser parser, ColumnType type) throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL) {
        return null;
      }
      switch (type) {
        case INTEGER:
          return token == JsonToken.VALUE_STRING ? Long.valueOf(parser.getText().trim()) : parser.getLongValue();
        case NUMERIC:
          return token == JsonToken.VALUE_STRING ? numericText(parser.getText().trim()) : parser.getDecimalValue();
        case FLOAT:
          return token == JsonToken.VALUE_STRING ? Double.valueOf(parser.getText()) : parser.getDoubleValue();
        case BOOLEAN:
          return parser.getBooleanValue();
        case TIMESTAMP:
          return LocalDateTime.parse(parser.getText(), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        case TIMESTAMPTZ:
          return OffsetDateTime.parse(parser.getText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            .withOffsetSameInstant(ZoneOffset.UTC);
        case DATE:
          return LocalDate.parse(parser.getText(), DateTimeFormatter.ISO_LOCAL_DATE);
        case TEXT:
        case OTHER:
          return parser.getValueAsString();
        default:
          return jsonValue(parser, token);
      }
    }

    /** The special values as {@link RowJson#encode} writes them, or a decimal written as a string. */
    private static Object numericText(String text) {
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          return new BigDecimal(text);
      }
    }

    /** A JSON column value as Vert.x decodes JSON: JsonObject, JsonArray, String, Number or Boolean. */
    private static Object jsonValue(JsonParser parser, JsonToken token) throws IOException {
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        StringWriter out = new StringWriter();
        try (JsonGenerator copy = FACTORY.createGenerator(out)) {
          copy.copyCurrentStructure(parser);
        }
        return Json.decodeValue(out.toString());
      }
      if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        return parser.getDecimalValue();
      }
      if (token == JsonToken.VALUE_NUMBER_INT) {
        return parser.getNumberValue();
      }
      if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
        return parser.getBooleanValue();
      }
      return parser.getText();
    }
  }
}
