package io.postbox.commands.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsageSyntaxTest {

    /** The argument tree in a compact form: name:type, TOKEN=, ?optional, +multiple, ++multiple_token, #spec. */
    private static String tree(String syntax, int keySpecs) {
        return describe(UsageSyntax.parse(syntax, keySpecs));
    }

    private static String describe(List<Argument> arguments) {
        StringBuilder out = new StringBuilder();
        for (Argument argument : arguments) {
            if (out.length() > 0) {
                out.append(' ');
            }
            if (argument.optional()) {
                out.append('?');
            }
            if (argument.multipleToken()) {
                out.append("++");
            } else if (argument.multiple()) {
                out.append('+');
            }
            if (argument.token() != null) {
                out.append(argument.token()).append('=');
            }
            out.append(argument.name()).append(':').append(argument.type().wireName());
            if (argument.keySpecIndex() >= 0) {
                out.append('#').append(argument.keySpecIndex());
            }
            if (!argument.arguments().isEmpty()) {
                out.append('(').append(describe(argument.arguments())).append(')');
            }
        }
        return out.toString();
    }

    @Test
    void setLineBecomesKeyValueAndOptionalChoices() {
        assertEquals("key:key#0 value:string ?nx_xx:oneof(NX=nx:pure-token XX=xx:pure-token) ?GET=get:pure-token"
                        + " ?seconds_milliseconds_unix-time-seconds_keepttl:oneof(EX=seconds:integer"
                        + " PX=milliseconds:integer EXAT=unix-time-seconds:unix-time KEEPTTL=keepttl:pure-token)",
                tree("key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | KEEPTTL]", 1));
    }

    @Test
    void repeatedValueIsMultiple() {
        assertEquals("+key:key#0 timeout:double", tree("key [key ...] timeout", 1));
        assertEquals("script:string numkeys:integer ?+key:key#0 ?+arg:string",
                tree("script numkeys [key [key ...]] [arg [arg ...]]", 1));
    }

    @Test
    void repeatedPairIsMultipleBlock() {
        assertEquals("+key_value:block(key:key#0 value:string)", tree("key value [key value ...]", 1));
    }

    @Test
    void tokenRepeatedWithItsValueIsMultipleToken() {
        assertEquals("key:key#0 ?++GET=pattern:pattern", tree("key [GET pattern [GET pattern ...]]", 1));
    }

    @Test
    void tokenIntroducesTheValuesAfterIt() {
        assertEquals("?COUNT=count:integer ?LIMIT=offset_count:block(offset:integer count:integer)",
                tree("[COUNT count] [LIMIT offset count]", 0));
        assertEquals("?COUNT=count:integer STREAMS=key_id:block(+key:key#0 +id:string)",
                tree("[COUNT count] STREAMS key [key ...] id [id ...]", 1));
    }

    @Test
    void tokenBeforeRepeatOrChoiceCarriesIt() {
        assertEquals("destination:key#0 numkeys:integer +key:key#1 ?+WEIGHTS=weight:integer"
                        + " ?AGGREGATE=aggregate:oneof(SUM=sum:pure-token MIN=min:pure-token MAX=max:pure-token)",
                tree("destination numkeys key [key ...] [WEIGHTS weight [weight ...]]"
                        + " [AGGREGATE <SUM | MIN | MAX>]", 2));
    }

    @Test
    void angleBracketsAreARequiredChoice() {
        assertEquals("numkeys:integer +key:key#0 left_right:oneof(LEFT=left:pure-token RIGHT=right:pure-token)"
                        + " ?COUNT=count:integer",
                tree("numkeys key [key ...] <LEFT | RIGHT> [COUNT count]", 1));
    }

    @Test
    void keysAfterTheLastSpecShareIt() {
        assertEquals("source:key#0 destination:key#1 newkey:key#1", tree("source destination newkey", 2));
        assertEquals("key1:key#0 key2:key#0", tree("key1 key2", 1));
        assertEquals("key:key", tree("key", 0));
    }

    @Test
    void hintSetsTheType() {
        assertEquals("timeout:integer ip:port:string increment:double",
                tree("timeout:integer ip:port increment:double", 0));
    }

    @Test
    void symbolsAndQuotedWordsAreTokens() {
        Argument operator = UsageSyntax.parse("[= | ~]", 0).get(0);
        assertEquals(ArgumentType.ONEOF, operator.type());
        assertEquals("=", operator.arguments().get(0).token());
        assertEquals("~", operator.arguments().get(1).token());
        assertEquals("key_empty_string:oneof(key:key#0 =empty_string:pure-token)", tree("<key | \"\">", 1));
    }

    @Test
    void emptyLineHasNoArguments() {
        assertEquals(List.of(), UsageSyntax.parse("", 0));
    }

    @Test
    void wordCountsFollowTheTree() {
        List<Argument> set = UsageSyntax.parse("key value [NX | XX] [EX seconds | KEEPTTL]", 1);
        assertEquals(2, set.stream().mapToInt(Argument::minWords).sum());
        assertEquals(5, set.stream().mapToLong(Argument::maxWords).sum());
        List<Argument> limit = UsageSyntax.parse("<LIMIT offset count | ALL>", 0);
        assertEquals(1, limit.get(0).minWords());
        assertEquals(3, limit.get(0).maxWords());
        assertEquals(Integer.MAX_VALUE, UsageSyntax.parse("key [key ...]", 1).get(0).maxWords());
    }

    @Test
    void malformedLinesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> UsageSyntax.parse("key [NX", 1));
        assertThrows(IllegalArgumentException.class, () -> UsageSyntax.parse("key NX]", 1));
        assertThrows(IllegalArgumentException.class, () -> UsageSyntax.parse("key [NX |]", 1));
        assertThrows(IllegalArgumentException.class, () -> UsageSyntax.parse("key [value ...]", 1));
        assertThrows(IllegalArgumentException.class, () -> UsageSyntax.parse("key ...", 1));
        assertThrows(IllegalArgumentException.class, () -> UsageSyntax.parse("[]", 0));
    }
}
