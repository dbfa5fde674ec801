package io.tycostream.triggers.config;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;

/**
 * A configuration that cannot be used: a {@link ServiceException} with {@link ErrorCode#INVALID_CONFIG} whose
 * {@link #field()} is the offending path, as written in the YAML file (or the file name for syntax errors). The message
 * starts with that path (for example {@code sources[0].key_columns: must not be empty}) so an operator can find it in
 * the file at once.
 */
public final class ConfigException extends ServiceException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String field, String problem) {
    this(field, problem, null);
  }

  public ConfigException(String field, String problem, Throwable cause) {
    super(ErrorCode.INVALID_CONFIG, field + ": " + problem, field, cause);
  }
}
