package io.tycostream.triggers.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
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
