package io.tycostream.triggers.emulator;

/**
 * Which generation of Materialize error texts and SQLSTATEs the emulator reproduces (spec §4.3 and §5).
 */
public enum ErrorProfile {
  /** Released versions: XX000 for dropped dependencies and for an AS OF below the since. */
  LEGACY,
  /** Recent main: 42704 for dropped dependencies, 22000 for an AS OF below the since. */
  CURRENT
}
