package io.tycostream.triggers.emulator;

import java.util.Objects;

/**
 * One column of an emulated relation: its name (compared case-sensitively after SQL folding) and pg type.
 *
 * @param name column name as it appears in output schemas
 * @param type the stored pg type
 */
public record EmulatorColumn(String name, PgType type) {

  public EmulatorColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  public static EmulatorColumn of(String name, PgType type) {
    return new EmulatorColumn(name, type);
  }
}
