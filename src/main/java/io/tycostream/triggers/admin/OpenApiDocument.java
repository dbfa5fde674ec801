package io.tycostream.triggers.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.json.JsonMappers;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 document of the admin API and the page that renders it, as kept in the jar: the document is
 * written as YAML ({@value #DOCUMENT}, the one source) and served as JSON; the page ({@value #PAGE}) is a small
 * self-contained HTML file that fetches the JSON and lists the operations and schemas, with no script from outside.
 * <p>
 * Blocking (it reads class-path resources): call it on a worker thread. The result never changes while the process
 * runs.
 *
 * @param json the document as JSON bytes
 * @param page the HTML page
 */
record OpenApiDocument(Buffer json, Buffer page) {

  /** The document's class-path resource. */
  static final String DOCUMENT = "openapi/openapi.yaml";
  /** The page's class-path resource. */
  static final String PAGE = "openapi/docs.html";

  /** Reads both resources; fails when one is missing or the YAML does not parse (a packaging bug). */
  static OpenApiDocument load() {
    JsonNode tree;
    try {
      tree = JsonMappers.yaml().readTree(resource(DOCUMENT));
      return new OpenApiDocument(Buffer.buffer(JsonMappers.strict().writeValueAsBytes(tree)),
          Buffer.buffer(resource(PAGE)));
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document " + DOCUMENT + " cannot be read", e);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("resource " + name + " is not in the jar");
      }
      return in.readAllBytes();
    }
  }
}
