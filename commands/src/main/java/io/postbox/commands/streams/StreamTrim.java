package io.postbox.commands.streams;

/**
 * How XADD or XTRIM trims: by length ({@code MAXLEN}) or by lowest ID kept ({@code MINID}), exactly or
 * approximately ({@code ~}: whole nodes only), with at most {@code limit} entries removed (0: no cap).
 */
public record StreamTrim(boolean byLength, long maxLength, StreamId minId, boolean approx, long limit) {
}
