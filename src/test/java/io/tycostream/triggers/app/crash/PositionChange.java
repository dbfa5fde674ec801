package io.tycostream.triggers.app.crash;

/**
 * One write the crash test made to the emulator: the key's row before and after it, at the Materialize timestamp the
 * emulator returned. An insert has no {@code before}, a delete no {@code after}. Immutable.
 *
 * @param mzTimestamp the write's timestamp; every write of the test has its own
 * @param id          the key
 * @param before      the row before the write, or {@code null} for an insert
 * @param after       the row after the write, or {@code null} for a delete
 */
public record PositionChange(long mzTimestamp, int id, PositionRow before, PositionRow after) {
}
