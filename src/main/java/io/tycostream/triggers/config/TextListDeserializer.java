package io.tycostream.triggers.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A list of names (hosts, origins, columns, keys): a YAML list of texts, or one comma-separated text, which is how
 * an environment variable sets a list ({@code TYCOSTREAM_CLUSTER__MEMBERS=a:5701,b:5701}). Items are stripped;
 * none of these names can contain a comma.
 */
final class TextListDeserializer extends StdDeserializer<List<String>> {

  private static final long serialVersionUID = 1L;

  TextListDeserializer() {
    super(List.class);
  }

  @Override
  public List<String> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      return Arrays.stream(parser.getText().split(",")).map(String::strip).filter(item -> !item.isEmpty())
          .toList();
    }
    if (!parser.isExpectedStartArrayToken()) {
      throw new InvalidFieldException("", "expected a list (or comma-separated text)");
    }
    List<String> items = new ArrayList<>();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token != JsonToken.VALUE_STRING) {
        throw new InvalidFieldException("[" + items.size() + "]", "expected a text value");
      }
      items.add(parser.getText().strip());
    }
    return items;
  }
}
