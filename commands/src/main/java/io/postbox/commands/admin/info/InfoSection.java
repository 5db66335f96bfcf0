package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;

/** One section of INFO: its title ("Server") and its fields, in Redis 7.0.15's order. */
interface InfoSection {

    /** The title after "# "; its lower-case form is the name INFO takes as an argument. */
    String title();

    void write(InfoLines out, Engine engine);
}
