package io.tycostream.triggers.config;

/**
 * A refused value found while a section is bound, naming the field relative to that section ({@code level},
 * {@code allowed_targets[2]}); {@link ConfigBinder} prefixes the section's path and turns it into a
 * {@link ConfigException}. Thrown by the records' {@code fromFile} factories, which do not know where their section is.
 */
final class InvalidFieldException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;

  InvalidFieldException(String field, String problem) {
    super(problem);
    this.field = field;
  }

  /** The field, relative to the section being bound. */
  String field() {
    return field;
  }
}
