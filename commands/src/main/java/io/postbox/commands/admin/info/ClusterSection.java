package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;

/** INFO cluster: Postbox never runs in cluster mode. */
final class ClusterSection implements InfoSection {

    @Override
    public String title() {
        return "Cluster";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        out.field("cluster_enabled", 0);
    }
}
