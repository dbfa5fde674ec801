package io.tycostream.triggers.emulator;

import java.util.List;

/**
 * A protocol-level portal created by Bind.
 *
 * @param statement the prepared statement it executes
 * @param columns described result columns, or null for none
 * @param formats resolved result format per column (null when there are no columns)
 */
record BoundPortal(PreparedStatement statement, List<OutputColumn> columns, int[] formats) {
}
