package io.postbox.commands.streams;

/** One entry read from a stream: its ID and its fields and values, interleaved. */
public record StreamEntry(StreamId id, byte[][] fieldsValues) {
}
