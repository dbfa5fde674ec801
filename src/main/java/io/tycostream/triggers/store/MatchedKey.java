package io.tycostream.triggers.store;

import java.math.BigInteger;

/**
 * A key a trigger holds as matched, with its last row. Immutable.
 *
 * @param keyJson         the key as canonical JSON
 * @param rowJson         the key's last row as JSON
 * @param frontier        the frontier of the commit that last wrote the row
 * @param matchedFrontier the frontier of the commit (or baseline) that made the key matched; {@code null} when it
 *                        was matched before this was recorded (schema version 7)
 */
public record MatchedKey(String keyJson, String rowJson, BigInteger frontier, BigInteger matchedFrontier) {
}
