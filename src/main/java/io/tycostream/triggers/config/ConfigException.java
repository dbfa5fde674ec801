package io.tycostream.triggers.config;

/**
 * A configuration that cannot be used. The message starts with the offending field path (for example
 * {@code sources[0].key_columns: must not be empty}) so an operator can find it in the file at once.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String field;

  public ConfigException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public ConfigException(String field, String problem, Throwable cause) {
    super(field + ": " + problem, cause);
    this.field = field;
  }

  /** The field path the problem is about, as written in the YAML file (or the file name for syntax errors). */
  public String field() {
    return field;
  }
}
