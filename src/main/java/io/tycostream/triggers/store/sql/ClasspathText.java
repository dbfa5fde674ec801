package io.tycostream.triggers.store.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the store's SQL resources. They are small and read once when a store is built, before any request is
 * served, so the read happens on the building thread.
 */
final class ClasspathText {

  private ClasspathText() {
  }

  static String read(String resource) {
    try (InputStream in = ClasspathText.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing store resource: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read store resource " + resource, e);
    }
  }
}
