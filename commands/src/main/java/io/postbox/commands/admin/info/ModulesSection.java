package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;

/** INFO modules: the list of loaded modules, always empty. */
final class ModulesSection implements InfoSection {

    @Override
    public String title() {
        return "Modules";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
    }
}
