package io.postbox.commands.geo;

import static io.postbox.commands.KeySpec.firstArgument;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.KeySpec;
import io.postbox.commands.geo.GeoSearch.Variant;
import java.util.List;

/**
 * Geospatial commands: points kept in a sorted set, scored with the geohash of their position, and
 * searched by distance or box around a point or a member. This is the family's table with Redis
 * 7.0's metadata; the handlers live in {@link GeoPoints} and {@link GeoSearch}.
 */
public final class GeoCommands implements CommandGroup {

    private static final String UNIT = "<M | KM | FT | MI>";
    private static final String SEARCH_COMPLEXITY = "O(N+log(M)), N being the number of members in the grid"
            + " cells that cover the shape and M the size of the set.";
    private static final String RADIUS_OPTIONS = " [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]]"
            + " [ASC | DESC]";
    private static final String SEARCH_AREA = " <FROMMEMBER member | FROMLONLAT longitude latitude>"
            + " <BYRADIUS radius " + UNIT + " | BYBOX width height " + UNIT + "> [ASC | DESC] [COUNT count [ANY]]";

    @Override
    public List<Command> commands() {
        return List.of(
                command("geoadd", -5, "write denyoom", GeoPoints::geoadd)
                        .keys(firstArgument("RW update"))
                        .summary("Adds points, each a longitude, a latitude and a member name, to a sorted set"
                                + " used as a geospatial index; replies how many were new.")
                        .since("3.2.0").complexity("O(log(N)) for each point added, N being the size of the set.")
                        .syntax("key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]")
                        .history("6.2.0", "The `CH`, `NX` and `XX` options.").build(),
                command("geodist", -4, "readonly", GeoPoints::geodist)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the distance between two members of a geospatial index, in meters or"
                                + " the unit given.")
                        .since("3.2.0").complexity("O(log(N))")
                        .syntax("key member1 member2 [M | KM | FT | MI]").build(),
                command("geohash", -2, "readonly", GeoPoints::geohash)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the positions of members of a geospatial index as standard 11-character"
                                + " geohash strings.")
                        .since("3.2.0").complexity("O(log(N)) for each member, N being the size of the set.")
                        .syntax("key member [member ...]").build(),
                command("geopos", -2, "readonly", GeoPoints::geopos)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the longitude and latitude of members of a geospatial index.")
                        .since("3.2.0").complexity("O(N) for N members asked for.")
                        .syntax("key member [member ...]").build(),
                command("georadius", -6, "write denyoom movablekeys", search(Variant.RADIUS))
                        .keys(firstArgument("RO access"))
                        .keys(KeySpec.keyword("OW update", "STORE", 6, 0, 1, 0))
                        .keys(KeySpec.keyword("OW update", "STOREDIST", 6, 0, 1, 0))
                        .summary("Replies, or stores, the members of a geospatial index within a distance of a"
                                + " longitude and latitude.")
                        .since("3.2.0").complexity(SEARCH_COMPLEXITY)
                        .syntax("key longitude latitude radius " + UNIT + RADIUS_OPTIONS
                                + " [STORE key] [STOREDIST key]")
                        .history("6.2.0", "The `ANY` option of `COUNT`.")
                        .history("7.0.0", "Unit names in upper case.")
                        .deprecated("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument")
                        .build(),
                command("georadius_ro", -6, "readonly", search(Variant.RADIUS_RO))
                        .keys(firstArgument("RO access"))
                        .summary("GEORADIUS without its STORE options, so that read-only replicas and scripts"
                                + " may run it.")
                        .since("3.2.10").complexity(SEARCH_COMPLEXITY)
                        .syntax("key longitude latitude radius " + UNIT + RADIUS_OPTIONS)
                        .history("6.2.0", "The `ANY` option of `COUNT`.")
                        .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` argument").build(),
                command("georadiusbymember", -5, "write denyoom movablekeys", search(Variant.RADIUS_BY_MEMBER))
                        .keys(firstArgument("RO access"))
                        .keys(KeySpec.keyword("OW update", "STORE", 5, 0, 1, 0))
                        .keys(KeySpec.keyword("OW update", "STOREDIST", 5, 0, 1, 0))
                        .summary("Replies, or stores, the members of a geospatial index within a distance of one"
                                + " of its members.")
                        .since("3.2.0").complexity(SEARCH_COMPLEXITY)
                        .syntax("key member radius " + UNIT + RADIUS_OPTIONS + " [STORE key] [STOREDIST key]")
                        .history("7.0.0", "Unit names in upper case.")
                        .deprecated("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and"
                                + " `FROMMEMBER` arguments").build(),
                command("georadiusbymember_ro", -5, "readonly", search(Variant.RADIUS_BY_MEMBER_RO))
                        .keys(firstArgument("RO access"))
                        .summary("GEORADIUSBYMEMBER without its STORE options, so that read-only replicas and"
                                + " scripts may run it.")
                        .since("3.2.10").complexity(SEARCH_COMPLEXITY)
                        .syntax("key member radius " + UNIT + RADIUS_OPTIONS)
                        .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments").build(),
                command("geosearch", -7, "readonly", search(Variant.SEARCH))
                        .keys(firstArgument("RO access"))
                        .summary("Replies the members of a geospatial index inside a circle or a box around a"
                                + " point or one of its members.")
                        .since("6.2.0").complexity(SEARCH_COMPLEXITY)
                        .syntax("key" + SEARCH_AREA + " [WITHCOORD] [WITHDIST] [WITHHASH]")
                        .history("7.0.0", "Unit names in upper case.").build(),
                command("geosearchstore", -8, "write denyoom", search(Variant.SEARCH_STORE))
                        .keys(firstArgument("OW update"))
                        .keys(KeySpec.range("RO access", 2, 0, 1))
                        .summary("Stores in a sorted set the members of a geospatial index inside a circle or a"
                                + " box, scored with their positions or their distances.")
                        .since("6.2.0").complexity(SEARCH_COMPLEXITY)
                        .syntax("destination source" + SEARCH_AREA + " [STOREDIST]")
                        .history("7.0.0", "Unit names in upper case.").build());
    }

    private static Command.Builder command(String name, int arity, String flags, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(flags).acl("@geo").group("geo").handler(handler);
    }

    private static CommandHandler search(Variant variant) {
        return call -> GeoSearch.search(call, variant);
    }
}
