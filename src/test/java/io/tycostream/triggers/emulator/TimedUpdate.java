package io.tycostream.triggers.emulator;

import java.util.List;

/**
 * One entry of an object's multiset history: a row (values in relation order, may contain nulls), the logical time it
 * took effect, and its multiplicity change.
 */
record TimedUpdate(List<Object> row, long time, long diff) {
}
