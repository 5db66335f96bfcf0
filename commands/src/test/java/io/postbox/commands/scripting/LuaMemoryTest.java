package io.postbox.commands.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import party.iroiro.luajava.Lua;

/**
 * A Lua state on the native layer's memory (lua_memory.c): blocks of every size class, and larger
 * ones from malloc, keep their contents while others around them are freed and their slabs reused,
 * by the same class or, once empty, by another.
 */
class LuaMemoryTest {

    /**
     * build(n, tag): n distinct strings tagged {@code tag}, of 2 to 605 bytes (every size class and
     * beyond), each with a table of 0 to 39 numbers; check(...) raises an error on any changed value
     * and returns how many entries it checked.
     */
    private static final String HELPERS = """
        function build(n, tag)
          local t = {}
          for i = 1, n do
            local length = i % 600 + #tostring(i) + 1
            t[i] = { tag .. string.rep('x', length - #tostring(i) - 1) .. i, {} }
            for k = 1, i % 40 do t[i][2][k] = i + k end
          end
          return t
        end
        function check(t, n, tag, step)
          local checked = 0
          for i = 1, n, step do
            local s, list = t[i][1], t[i][2]
            if #s ~= i % 600 + #tostring(i) + 1 or s:sub(1, 1) ~= tag or s:sub(-#tostring(i)) ~= tostring(i) then
              error('string ' .. tag .. i .. ' corrupted')
            end
            if #list ~= i % 40 then error('table ' .. tag .. i .. ' corrupted') end
            for k = 1, #list do if list[k] ~= i + k then error('table ' .. tag .. i .. ' corrupted') end end
            checked = checked + 1
          end
          return checked
        end
        """;

    private BridgedLua state;
    private Lua lua;

    @BeforeEach
    void setUp() {
        state = new BridgedLua();
        lua = state.lua;
        lua.run(HELPERS);
    }

    @AfterEach
    void tearDown() {
        state.close();
    }

    /** Runs a chunk that raises an error on any corrupted value, and returns its number result. */
    private long run(String script) {
        lua.load(script);
        lua.pCall(0, 1);
        long result = (long) lua.toNumber(-1);
        lua.pop(1);
        return result;
    }

    @Test
    void blocksKeepTheirContentsWhileTheirNeighboursAreFreedAndReused() {
        assertEquals(30000, run("""
            a = build(30000, 'a')
            return check(a, 30000, 'a', 1)"""));
        // Every other entry freed; new blocks of the same classes fill the holes around the survivors.
        assertEquals(15000 + 15000, run("""
            for i = 2, 30000, 2 do a[i] = nil end
            collectgarbage('collect')
            b = build(15000, 'b')
            return check(a, 30000, 'a', 2) + check(b, 15000, 'b', 1)"""));
        // Everything freed: the emptied slabs are taken by other size classes.
        assertEquals(20000, run("""
            a, b = nil, nil
            collectgarbage('collect')
            c = {}
            for i = 1, 20000 do c[i] = string.rep('c', 200 + i % 300) .. i end
            local checked = 0
            for i = 1, 20000 do
              local s = c[i]
              if #s ~= 200 + i % 300 + #tostring(i) or s:sub(-#tostring(i)) ~= tostring(i) then
                error('string c' .. i .. ' corrupted')
              end
              checked = checked + 1
            end
            return checked"""));
    }
}
