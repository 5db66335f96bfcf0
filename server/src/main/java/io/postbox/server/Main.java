package io.postbox.server;

import io.postbox.commands.config.Config;
import sun.misc.Signal;

/** {@code java -jar postbox.jar [config-file] [--option value ...]}, as {@code redis-server} is invoked. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("-v") || args[0].equals("--version"))) {
            System.out.println("Postbox server v=" + PostboxServer.VERSION);
            return;
        }
        Config config = new Config();
        ServerLog log = new ServerLog();
        try {
            ConfigFile.apply(config, args);
        } catch (ConfigFile.ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        log.level(config.getString("loglevel"));
        log.file(config.getString("logfile"));
        PostboxServer server = new PostboxServer(config, log);
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> shutDown(server, log, "SIG" + signal));
        }
        server.start();
    }

    /** A signal asks for a clean shutdown, and a clean shutdown exits 0, as redis-server does. */
    private static void shutDown(PostboxServer server, ServerLog log, String signal) {
        log.warning("Received " + signal + " scheduling shutdown...");
        server.close();
        log.warning("Postbox is now ready to exit, bye bye...");
        System.exit(0);
    }
}
