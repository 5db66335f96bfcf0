package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;
import io.postbox.commands.keyspace.Database;

/**
 * INFO keyspace: one line per database that has keys. avg_ttl is Redis's sampled estimate; Postbox
 * does not sample TTLs, so it reports 0, as Redis does before its first sample.
 */
final class KeyspaceSection implements InfoSection {

    @Override
    public String title() {
        return "Keyspace";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        for (int i = 0; i < engine.databaseCount(); i++) {
            Database db = engine.database(i);
            if (db.size() > 0) {
                out.field("db" + i, "keys=" + db.size() + ",expires=" + db.expiresSize() + ",avg_ttl=0");
            }
        }
    }
}
