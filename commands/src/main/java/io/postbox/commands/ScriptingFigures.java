package io.postbox.commands;

/**
 * What INFO memory reports of scripting: the Lua heaps and what the script cache and the function
 * libraries hold. The scripting commands attach theirs once they first run; until then all are 0.
 */
public interface ScriptingFigures {

    /** Bytes of the Lua heap EVAL scripts run in. */
    long evalVmBytes();

    /** Bytes of the cached EVAL script bodies. */
    long evalScriptBytes();

    int cachedScripts();

    /** Bytes of the Lua heap functions run in. */
    long functionsVmBytes();

    /** Bytes of the loaded libraries' code. */
    long functionBytes();

    int functions();

    int libraries();

    ScriptingFigures NONE = new ScriptingFigures() {
        @Override
        public long evalVmBytes() {
            return 0;
        }

        @Override
        public long evalScriptBytes() {
            return 0;
        }

        @Override
        public int cachedScripts() {
            return 0;
        }

        @Override
        public long functionsVmBytes() {
            return 0;
        }

        @Override
        public long functionBytes() {
            return 0;
        }

        @Override
        public int functions() {
            return 0;
        }

        @Override
        public int libraries() {
            return 0;
        }
    };
}
