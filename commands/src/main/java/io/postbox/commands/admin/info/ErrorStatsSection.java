package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;

/** INFO errorstats: error replies by error code, in code order. */
final class ErrorStatsSection implements InfoSection {

    @Override
    public String title() {
        return "Errorstats";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        engine.stats().errors().forEach((code, count) -> out.field("errorstat_" + code, "count=" + count));
    }
}
