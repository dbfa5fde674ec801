package io.tycostream.triggers.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where triggers, their state, checkpoints and the event outbox are kept. */
public enum StoreType {
  /** Embedded files in {@code data_dir}: no server to run, but one process per directory, so one node only. */
  SQLITE,
  /** A PostgreSQL server shared by every node: what a cluster needs. */
  POSTGRES;

  /** The name used in the YAML file. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The YAML names of every type, in declaration order, for error messages. */
  public static List<String> configNames() {
    return Arrays.stream(values()).map(StoreType::configName).toList();
  }

  /** The type named {@code text} in the YAML file, ignoring case and surrounding blanks (env values), if any. */
  public static Optional<StoreType> fromConfigName(String text) {
    String wanted = text.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(type -> type.configName().equals(wanted)).findFirst();
  }
}
