package io.postbox.commands.config;

/** One {@code save <seconds> <changes>} rule: snapshot when that many changes are that old. */
public record SavePoint(long seconds, int changes) {
}
