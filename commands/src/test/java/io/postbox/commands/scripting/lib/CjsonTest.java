package io.postbox.commands.scripting.lib;

import org.junit.jupiter.api.Test;

/**
 * cjson against vectors taken from Redis 7.0.15 ({@code EVAL "return cjson.encode(...)" 0}).
 * Results are bytes, one char per byte; errors are the Lua error message (Redis adds
 * "ERR ... script: sha, on @user_script:1." around it).
 */
class CjsonTest extends LibraryVectors {

    @Test
    void encodesArraysObjectsAndTheEmptyTableAsAnObject() {
        expect("return cjson.encode({1,2,{a=1}})", "[1,2,{\"a\":1}]");
        expect("return cjson.encode({})", "{}");
        expect("return cjson.encode({a={b={c={}}}})", "{\"a\":{\"b\":{\"c\":{}}}}");
        expect("return cjson.encode({[1]=1, a=2})", "{\"1\":1,\"a\":2}");
        expect("return cjson.encode({[1]=1, [2]=2, [3.0]=3})", "[1,2,3]");
        expect("return cjson.encode({[1.5]=1})", "{\"1.5\":1}");
        expect("return cjson.encode({[-1]=1})", "{\"-1\":1}");
        expect("return cjson.encode({[0]=1})", "{\"0\":1}");
    }

    @Test
    void encodesHolesAsNullUntilTheArrayIsExcessivelySparse() {
        expect("return cjson.encode({[1]=1,[3]=3})", "[1,null,3]");
        expect("return cjson.encode({[2]=1})", "[null,1]");
        expect("return cjson.encode({[10]=1})", "[null,null,null,null,null,null,null,null,null,1]");
        expect("local x = cjson.encode({[11]=1}) return x",
            "ERR: user_script:1: Cannot serialise table: excessively sparse array");
        expect("local x = cjson.encode({[1]=1,[20]=3}) return x",
            "ERR: user_script:1: Cannot serialise table: excessively sparse array");
    }

    @Test
    void keysBeyondIntMaxMakeAnObject() {
        expect("return cjson.encode({{[2^31]=36}})", "[{\"2147483648\":36}]");
    }

    @Test
    void formatsNumbersWithFourteenSignificantDigits() {
        expect("return cjson.encode({1/3, 1e300, 123456789012345678, -0.0, 0.1, 100, 1e15, 1e14, 2^53})",
            "[0.33333333333333,1e+300,1.2345678901235e+17,-0,0.1,100,1e+15,1e+14,9.007199254741e+15]");
        expect("return cjson.encode({1e-7, -1.5e-300, 255, 1234567890123, 12345678901234, 123456789012345})",
            "[1e-07,-1.5e-300,255,1234567890123,12345678901234,1.2345678901234e+14]");
    }

    @Test
    void escapesControlCharactersQuotesBackslashAndSlashButNotHighBytes() {
        expect("return cjson.encode(\"a/b\\\"c\\\\d\\1\\31\\127\\128\\255\\0x\")",
            "\"a\\/b\\\"c\\\\d\\u0001\\u001f\\u007f\u0080\u00ff\\u0000x\"");
        expect("return cjson.encode(\"\\b\\t\\n\\f\\r\")", "\"\\b\\t\\n\\f\\r\"");
        expect("return cjson.encode(\"\\226\\130\\172\")", "\"\u00e2\u0082\u00ac\"");
    }

    @Test
    void encodesNullTrueAndCjsonNull() {
        expect("return cjson.encode(cjson.null)", "null");
        expect("return cjson.encode(true)", "true");
        expect("return cjson.encode({x=cjson.null})", "{\"x\":null}");
        expect("return cjson.encode({cjson.null, nil, 3})", "[null,null,3]");
        expect("return tostring(cjson.null)", "userdata: (nil)");
    }

    @Test
    void refusesWhatJsonCannotHold() {
        expect("local x = cjson.encode(0/0) return x",
            "ERR: user_script:1: Cannot serialise number: must not be NaN or Inf");
        expect("local x = cjson.encode({f=function() end}) return x",
            "ERR: user_script:1: Cannot serialise function: type not supported");
        expect("local x = cjson.encode({[true]=1}) return x",
            "ERR: user_script:1: Cannot serialise boolean: table key must be a number or string");
        expect("local t = {} t[1] = t local x = cjson.encode(t) return x",
            "ERR: user_script:1: Cannot serialise, excessive nesting (1001)");
        expect("local x = cjson.encode() return x",
            "ERR: user_script:1: bad argument #1 to 'encode' (expected 1 argument)");
        expect("local x = cjson.encode(1, 2) return x",
            "ERR: user_script:1: bad argument #1 to 'encode' (expected 1 argument)");
    }

    @Test
    void errorsCarryTheCallersPositionEvenFromATailCall() {
        expect("return cjson.decode('x')", "ERR: user_script:1: Expected value but found invalid token at character 1");
        expect("local f = function() return cjson.decode('[') end local ok, e = pcall(f) return e",
            "user_script:1: Expected value but found T_END at character 2");
        expect("return type(cjson.encode)", "function");
    }

    @Test
    void errorsRaisedThroughPcallCarryNoPosition() {
        expect("local ok, e = pcall(cjson.encode, function() end) return e",
            "Cannot serialise function: type not supported");
        expect("local ok, e = pcall(function() local x = cjson.encode(function() end) return x end) return e",
            "user_script:1: Cannot serialise function: type not supported");
    }

    @Test
    void decodesValuesAndRoundTrips() {
        expect("return cjson.encode(cjson.decode('[1, 2.5, -0, 1e2, 1E-2, \"x\", true, false, null, {}, [], {\"a\":[1]}]'))",
            "[1,2.5,-0,100,0.01,\"x\",true,false,null,{},{},{\"a\":[1]}]");
        expect("return cjson.encode(cjson.decode(' {\"a\" : 1 , \"b\":2} '))", "{\"a\":1,\"b\":2}");
        expect("return cjson.decode('\"\\\\u0041\\\\u00e9\\\\u20ac\\\\ud83d\\\\ude00\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t\\\\\"\\\\\\\\\"')",
            "A\u00c3\u00a9\u00e2\u0082\u00ac\u00f0\u009f\u0098\u0080/\b\f\n\r\t\"\\");
        expect("return cjson.decode('\"\\\\u0000\"')", "\0");
        expect("return cjson.decode('\"a\\1b\"')", "a\u0001b");
        expect("return cjson.decode(1)", "1");
        expect("return cjson.decode('[1]\\0garbage')[1]", "1");
    }

    @Test
    void decodesNumbersAsStrtodReadsThem() {
        expect("return cjson.decode('01')", "1");
        expect("return cjson.decode('-01')", "-1");
        expect("return cjson.decode('0x10')", "16");
        expect("return cjson.decode('1.')", "1");
        expect("return cjson.decode('+1')", "1");
        expect("return cjson.decode('nan')", "nan");
        expect("return cjson.decode('-inf')", "-inf");
        expect("return cjson.decode('Infinity')", "inf");
        expect("return cjson.decode('1e400')", "inf");
        expect("return cjson.decode('0x1p3')", "8");
    }

    @Test
    void reportsSyntaxErrorsWithTokenAndCharacter() {
        expect("local x = cjson.decode('') return x", "ERR: user_script:1: Expected value but found T_END at character 1");
        expect("local x = cjson.decode('x') return x",
            "ERR: user_script:1: Expected value but found invalid token at character 1");
        expect("local x = cjson.decode('[1,2') return x",
            "ERR: user_script:1: Expected comma or array end but found T_END at character 5");
        expect("local x = cjson.decode('{\"a\":1,}') return x",
            "ERR: user_script:1: Expected object key string but found T_OBJ_END at character 8");
        expect("local x = cjson.decode('[1,]') return x",
            "ERR: user_script:1: Expected value but found T_ARR_END at character 4");
        expect("local x = cjson.decode('{\"a\" 1}') return x",
            "ERR: user_script:1: Expected colon but found T_NUMBER at character 6");
        expect("local x = cjson.decode('{\"a\":1 \"b\"}') return x",
            "ERR: user_script:1: Expected comma or object end but found T_STRING at character 8");
        expect("local x = cjson.decode('1 2') return x",
            "ERR: user_script:1: Expected the end but found T_NUMBER at character 3");
        expect("local x = cjson.decode('123abc') return x",
            "ERR: user_script:1: Expected the end but found invalid token at character 4");
        expect("local x = cjson.decode('-') return x",
            "ERR: user_script:1: Expected value but found invalid number at character 1");
        expect("local x = cjson.decode('.5') return x",
            "ERR: user_script:1: Expected value but found invalid token at character 1");
    }

    @Test
    void reportsBadStrings() {
        expect("local x = cjson.decode('\"\\\\ud83d\"') return x",
            "ERR: user_script:1: Expected value but found invalid unicode escape code at character 2");
        expect("local x = cjson.decode('\"\\\\u12\"') return x",
            "ERR: user_script:1: Expected value but found invalid unicode escape code at character 2");
        expect("local x = cjson.decode('\"\\\\x\"') return x",
            "ERR: user_script:1: Expected value but found invalid escape code at character 2");
        expect("local x = cjson.decode('\"abc') return x",
            "ERR: user_script:1: Expected value but found unexpected end of string at character 5");
        expect("local x = cjson.decode('\\0a') return x",
            "ERR: user_script:1: JSON parser does not support UTF-16 or UTF-32");
        expect("local x = cjson.decode({}) return x",
            "ERR: user_script:1: bad argument #1 to 'decode' (string expected, got table)");
        expect("local x = cjson.decode() return x",
            "ERR: user_script:1: bad argument #1 to 'decode' (expected 1 argument)");
    }

    @Test
    void limitsNesting() {
        expect("cjson.encode_max_depth(2) local ok, e = pcall(cjson.encode, {{{1}}}) return e",
            "Cannot serialise, excessive nesting (3)");
        expect("cjson.decode_max_depth(2) local ok, e = pcall(cjson.decode, '[[[1]]]') return e",
            "Found too many nested data structures (3) at character 3");
        expect("cjson.decode_max_depth(2) local ok, e = pcall(cjson.decode, '{\"a\":{\"b\":{\"c\":1}}}') return e",
            "Found too many nested data structures (3) at character 11");
    }

    @Test
    void settingsReportAndChangeTheirValues() {
        expect("return table.concat({tostring(cjson.encode_sparse_array()), select(2, cjson.encode_sparse_array())}, ' ')",
            "false 2 10");
        expect("return table.concat({cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision()}, ' ')",
            "1000 1000 14");
        expect("return table.concat({tostring(cjson.encode_keep_buffer()), tostring(cjson.encode_invalid_numbers()),"
            + " tostring(cjson.decode_invalid_numbers())}, ' ')", "true false true");
        expect("cjson.encode_sparse_array(true) return cjson.encode({[1]=1,[20]=3})", "{\"1\":1,\"20\":3}");
        expect("cjson.encode_number_precision(3) return cjson.encode({1/3, 123456})", "[0.333,1.23e+05]");
        expect("cjson.encode_invalid_numbers(true) return cjson.encode({1/0, -1/0, 0/0})", "[inf,-inf,nan]");
        expect("return cjson.encode_invalid_numbers('null') .. cjson.encode({1/0})", "null[null]");
        expect("return cjson.encode_max_depth(1.5)", "1");
    }

    @Test
    void settingsRejectBadValues() {
        expect("local x = cjson.encode_max_depth(0) return x",
            "ERR: user_script:1: bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483647)");
        expect("local x = cjson.encode_max_depth('x') return x",
            "ERR: user_script:1: bad argument #1 to 'encode_max_depth' (number expected, got string)");
        expect("local x = cjson.encode_sparse_array('x') return x",
            "ERR: user_script:1: bad argument #1 to 'encode_sparse_array' (invalid option 'x')");
        expect("local x = cjson.encode_number_precision(15) return x",
            "ERR: user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14)");
        expect("local x = cjson.encode_invalid_numbers(1, 2) return x",
            "ERR: user_script:1: bad argument #2 to 'encode_invalid_numbers' (found too many arguments)");
    }

    @Test
    void decodeInvalidNumbersOffRejectsWhatJsonForbids() {
        lua.eval("cjson.decode_invalid_numbers(false)");
        expect("local x = cjson.decode('nan') return x",
            "ERR: user_script:1: Expected value but found invalid token at character 1");
        expect("local x = cjson.decode('01') return x",
            "ERR: user_script:1: Expected value but found invalid number at character 1");
        expect("local x = cjson.decode('-inf') return x",
            "ERR: user_script:1: Expected value but found invalid number at character 1");
        expect("return cjson.decode('-0.5e3')", "-500");
    }

    @Test
    void newMakesAnInstanceWithItsOwnSettings() {
        expect("local c = cjson.new() c.encode_max_depth(5) return cjson.encode_max_depth() .. ' ' .. c.encode_max_depth()",
            "1000 5");
        expect("return cjson._NAME .. ' ' .. cjson._VERSION", "cjson 2.1.0");
    }
}
