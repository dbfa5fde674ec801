package io.tycostream.triggers.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.util.Optional;
import java.io.IOException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one JSON configuration of the service, so every reader and writer treats documents alike:
 * <ul>
 *   <li>reading ({@link #strict()}, and {@link #yaml()} for the configuration file): decimals stay exact
 *       ({@code BigDecimal}, never through {@code double}), a duplicate key or trailing content is an error;</li>
 *   <li>writing ({@link #writer()}): {@code BigDecimal} as plain exact numbers, characters outside the BMP (emoji)
 *       as their 4 UTF-8 bytes rather than two escaped surrogates (both valid JSON, raw bytes are what receivers
 *       expect).</li>
 * </ul>
 * The instances are built once and thread-safe; never reconfigure them.
 */
public final class JsonMappers {

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private static final JsonFactory WRITER = JsonFactory.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build();

  private JsonMappers() {
  }

  /** Reads JSON documents: exact decimals, no duplicate keys, no trailing content. */
  public static ObjectMapper strict() {
    return STRICT;
  }

  /** Reads YAML documents with the same rules as {@link #strict()}. */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /** Writes JSON with generators (rows, payloads) and reads it back with streaming parsers. */
  public static JsonFactory writer() {
    return WRITER;
  }

  /**
   * Where the first number of {@code json} that exact decimals cannot hold is (an exponent beyond an {@code int},
   * such as {@code 1E+2147483648}), as a field path like {@code fire.quantity._gt} or {@code items[2]}; empty when
   * there is none or the text cannot be read that far.
   */
  public static Optional<String> firstUnrepresentableNumber(String json) {
    try (JsonParser parser = STRICT.getFactory().createParser(json)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
          try {
            parser.getDecimalValue();
          } catch (NumberFormatException | ArithmeticException unrepresentable) {
            return Optional.of(pathOf(parser.getParsingContext()));
          }
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String pathOf(JsonStreamContext context) {
    java.util.Deque<String> segments = new java.util.ArrayDeque<>();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      segments.addFirst(at.inArray() ? "[" + at.getCurrentIndex() + "]" : at.getCurrentName());
    }
    StringBuilder path = new StringBuilder();
    for (String segment : segments) {
      if (!segment.startsWith("[") && path.length() > 0) {
        path.append('.');
      }
      path.append(segment);
    }
    return path.toString();
  }

  /** The first line of a parse error's own message (Jackson appends source excerpts on later lines). */
  public static String problemOf(JsonProcessingException error) {
    String text = error.getOriginalMessage();
    if (text == null) {
      return "unreadable document";
    }
    String trimmed = text.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }
}
